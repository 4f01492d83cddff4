// docs/config-reference.md from the config schema itself: every key and field, its type, the rule its error
// message states, its default and its description (zod metadata), for dev and prod. scripts/docs-config.ts
// writes it; test/unit/docs.test.ts compares the committed file with configReference().
import { parseDocument } from "yaml";
import { z } from "zod";
import { configSchemas } from "../../config";
import { decodeRuleMessage } from "../../config/schema";
import { projectConfigDeclarations } from "../../harness/stack-config";

export const REFERENCE_FILE = "docs/config-reference.md";
export const REGENERATE = "npx ts-node --transpile-only scripts/docs-config.ts";

/** What the schema says of a field, and what the generator writes in its row. */
export interface FieldDoc {
    /** `services.<service>.replicas`; `[]` marks a list's entries, `<…>` a map's keys. */
    key: string;
    type: string;
    /** The rule its error message states ("an integer from 1 to 50"). */
    allowed: string;
    default: string;
    description: string;
}

type Environment = "dev" | "prod";
/** The metadata the config schema attaches to a field with `.meta()` (or `.describe()`). */
interface FieldMeta {
    description?: string;
    /** The default in words, where it is computed outside the field (e.g. from other keys). */
    defaultText?: string;
    /** A map keyed by these names (the services, the alerts): documented once as `<each>`. */
    each?: string;
}

const definedOnly = (meta: FieldMeta): FieldMeta =>
    Object.fromEntries(Object.entries(meta).filter(([, value]) => value !== undefined)) as FieldMeta;
const defOf = (schema: z.ZodType) => schema._zod.def as unknown as Record<string, unknown> & { type: string };
const metaOf = (schema: z.ZodType) => (z.globalRegistry.get(schema) ?? {}) as FieldMeta;

/** The layers a field's schema is made of, outermost first (optional, default, preprocess, transform). */
function layers(schema: z.ZodType): z.ZodType[] {
    const def = defOf(schema);
    if (def.type === "optional" || def.type === "default" || def.type === "prefault" || def.type === "nullable") {
        return [schema, ...layers(def.innerType as z.ZodType)];
    }
    if (def.type === "pipe") {
        const input = def.in as z.ZodType;
        // preprocess(fn, schema) is pipe(transform, schema); schema.transform(fn) is pipe(schema, transform).
        return [schema, ...layers(defOf(input).type === "transform" ? (def.out as z.ZodType) : input)];
    }
    return [schema];
}

interface Facts {
    core: z.ZodType;
    meta: FieldMeta;
    defaultValue?: unknown;
}

function facts(schema: z.ZodType): Facts {
    const all = layers(schema);
    const meta = Object.assign({}, ...all.map(metaOf).reverse()) as FieldMeta;
    const withDefault = all.find((layer) => ["default", "prefault"].includes(defOf(layer).type));
    return { core: all[all.length - 1], meta, defaultValue: withDefault ? defOf(withDefault).defaultValue : undefined };
}

function typeName(core: z.ZodType): string {
    const def = defOf(core);
    switch (def.type) {
        case "number": {
            const checks = (def.checks ?? []) as z.ZodType[];
            return checks.some((check) => (defOf(check) as { format?: string }).format === "safeint") ? "integer" : "number";
        }
        case "literal":
            return typeof (def.values as unknown[])[0];
        case "enum":
            return "string";
        case "array":
            return "list";
        default:
            return def.type;
    }
}

/** The rule the field's error message states, without its "be": the same words a mistake is told. */
function ruleOf(core: z.ZodType): string {
    const error = defOf(core).error as ((issue: unknown) => unknown) | undefined;
    const decoded = typeof error === "function" ? decodeRuleMessage(String(error({ code: "invalid_type", input: undefined }))) : undefined;
    if (decoded === undefined || decoded.rule.startsWith("be an object")) {
        return typeName(core) === "string" ? "any string" : "";
    }
    return decoded.rule.replace(/^be /, "");
}

const code = (value: unknown) => `\`${typeof value === "string" ? value : JSON.stringify(value)}\``;

function describeDefault(value: unknown): string {
    if (value === undefined) {
        return "";
    }
    if (value === "") {
        return "empty";
    }
    if (
        Array.isArray(value) &&
        value.length > 0 &&
        value.every((entry) => entry && typeof entry === "object" && "path" in entry && "service" in entry)
    ) {
        return (value as { path: string; service: string }[]).map((route) => `${code(route.path)} → ${route.service}`).join(", ");
    }
    return code(value);
}

function valueAt(value: unknown, path: readonly string[]): unknown {
    return path.reduce<unknown>((at, part) => (at && typeof at === "object" ? (at as Record<string, unknown>)[part] : undefined), value);
}

interface Walk {
    /** The key as documented (`services.<service>.image`) and the paths it stands for (`services.gateway.image`, …). */
    key: string;
    paths: string[][];
    /** Labels of the concrete paths (gateway, frontend, …) when the key stands for several. */
    labels: string[];
}

/**
 * One row per leaf of `schema` under `at`, with the default taken from the field's own `.default()`, else its
 * metadata, else what the schema makes of an empty object (`output`: e.g. replicas derived in a transform).
 */
function leaves(schema: z.ZodType, at: Walk, output: unknown, inherited: FieldMeta = {}): FieldDoc[] {
    const own = facts(schema);
    const { core, defaultValue } = own;
    // A map's entries that say nothing of their own are described by the map (monitoring.alerts.for.<alert>).
    const meta = { description: inherited.description, defaultText: inherited.defaultText, ...definedOnly(own.meta) };
    const def = defOf(core);
    if (def.type === "object") {
        const shape = def.shape as Record<string, z.ZodType>;
        const names = Object.keys(shape);
        if (meta.each !== undefined) {
            const walk: Walk = {
                key: `${at.key}.<${meta.each}>`,
                paths: at.paths.flatMap((path) => names.map((name) => [...path, name])),
                labels: at.paths.length === 1 ? names : at.labels,
            };
            return leaves(shape[names[0]], walk, output, meta);
        }
        return names.flatMap((name) =>
            leaves(shape[name], { key: `${at.key}.${name}`, paths: at.paths.map((path) => [...path, name]), labels: at.labels }, output),
        );
    }
    if (def.type === "array" && defOf(def.element as z.ZodType).type !== "string") {
        const element = facts(def.element as z.ZodType).core;
        if (defOf(element).type === "object") {
            const row = fieldRow(at, core, meta, defaultValue, output);
            const entries = leaves(element, { key: `${at.key}[]`, paths: [], labels: [] }, undefined);
            return [row, ...entries];
        }
    }
    return [fieldRow(at, core, meta, defaultValue, output)];
}

function fieldRow(at: Walk, core: z.ZodType, meta: FieldMeta, defaultValue: unknown, output: unknown): FieldDoc {
    let value: string;
    if (defaultValue !== undefined) {
        value = describeDefault(defaultValue);
    } else if (meta.defaultText !== undefined) {
        value = meta.defaultText;
    } else {
        const values = at.paths.map((path) => describeDefault(valueAt(output, path)));
        value = new Set(values).size <= 1 ? (values[0] ?? "") : values.map((v, i) => `${at.labels[i]} ${v}`).join(", ");
    }
    return { key: at.key, type: typeName(core), allowed: ruleOf(core), default: value || "none", description: meta.description ?? "" };
}

/** Every key's rows for one environment; top-level defaults are Pulumi.yaml's (the CLI applies them). */
export function fieldDocs(environment: Environment): FieldDoc[] {
    const declarations = projectConfigDeclarations();
    return Object.entries(configSchemas(environment === "prod")).flatMap(([key, schema]) => {
        const declared = declarations[`blog:${key}`]?.default;
        const structured = declared !== undefined && typeof declared === "object";
        const output = structured ? (schema as z.ZodType).safeParse(declared).data : undefined;
        const rows = leaves(schema as z.ZodType, { key, paths: [[]], labels: [] }, output);
        if (!structured) {
            rows[0] = { ...rows[0], default: declared === undefined ? "required" : describeDefault(declared) || "none" };
        }
        return rows;
    });
}

/** What the schema says a top-level key is for. */
export function keyDescription(key: string): string {
    const schema = (configSchemas(false) as Record<string, z.ZodType>)[key];
    return schema === undefined ? "" : (facts(schema).meta.description ?? "");
}

/** dev's and prod's words for one cell: once when they agree, else both. */
const merged = (dev: string, prod: string) => (dev === prod ? dev : `dev: ${dev}; prod: ${prod.replace(/ in prod\b/, "")}`);

/** The rows of both environments, one per key. */
export function mergedFieldDocs(): FieldDoc[] {
    const prod = new Map(fieldDocs("prod").map((row) => [row.key, row]));
    return fieldDocs("dev").map((dev) => {
        const p = prod.get(dev.key) ?? dev;
        return {
            key: dev.key,
            type: merged(dev.type, p.type),
            allowed: merged(dev.allowed, p.allowed),
            default: merged(dev.default, p.default),
            description: dev.description,
        };
    });
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The whole reference page. */
export function configReference(): string {
    const rows = mergedFieldDocs();
    const topLevel = Object.keys(configSchemas(false));
    const table = (subset: FieldDoc[]) => [
        "| key | type | allowed values | default | description |",
        "| --- | --- | --- | --- | --- |",
        ...subset.map((r) => `| \`${r.key}\` | ${cell(r.type)} | ${cell(r.allowed)} | ${cell(r.default)} | ${cell(r.description)} |`),
    ];
    const scalar = topLevel.filter((key) => !rows.some((r) => r.key.startsWith(`${key}.`)));
    const structured = topLevel.filter((key) => !scalar.includes(key));
    const sections = structured.flatMap((key) => {
        return [
            "",
            `## \`${key}\``,
            "",
            keyDescription(key),
            "",
            ...table(rows.filter((r) => r.key.startsWith(`${key}.`) || r.key.startsWith(`${key}[]`))),
        ];
    });
    return [
        "# Stack config reference",
        "",
        `<!-- written by scripts/docs-config.ts from the config schema (config.ts, config/); do not edit. Regenerate: ${REGENERATE} -->`,
        "",
        "Every `blog:*` key the program reads, from the schema that validates it: the type, the values it",
        "accepts (the rule a mistake is told, in the same words), the default and what it does. Where dev and",
        "prod differ, both are given. Top-level defaults are `Pulumi.yaml`'s (the CLI applies them); the fields",
        "of structured keys are set with `--path`, e.g. `pulumi config set --path 'services.blog.replicas' 2`.",
        "",
        "## Top-level keys",
        "",
        ...table(rows.filter((r) => scalar.includes(r.key))),
        ...sections,
        "",
    ].join("\n");
}

/**
 * `project` (Pulumi.yaml's text) with each key's description set to the schema's, which `pulumi config`
 * and `pulumi new` show; comments and the rest of the file are kept as they are.
 */
export function projectWithDescriptions(project: string): string {
    const doc = parseDocument(project);
    for (const key of Object.keys(configSchemas(false))) {
        doc.setIn(["config", `blog:${key}`, "description"], keyDescription(key));
    }
    return doc.toString({ lineWidth: 0 });
}
