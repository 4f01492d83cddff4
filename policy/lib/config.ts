// Policy configuration: the schema pieces every rule shares, defaults applied the way the CLI applies them,
// and validation that names the policy, the key and the fix, all problems at once.
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchemaDefinition } from "@pulumi/policy/schema";
import { VERSION_PATTERN } from "./pss-checks";
import type { Unknown } from "./values";

export type ConfigProperty = PolicyConfigSchema["properties"][string];

/** An exemption of one resource from one policy, with the reason a reviewer agreed to. */
export interface Exemption {
    /** metadata.name of the Kubernetes object, or its Pulumi resource name. */
    name: string;
    /** Narrows the exemption to one namespace. */
    namespace?: string;
    /** Narrows the exemption to one kind, e.g. StatefulSet. */
    kind?: string;
    /** Why the resource may break the rule; required so every exemption is reviewed. */
    reason: string;
}

export const EXEMPTIONS_PROPERTY: ConfigProperty = {
    type: "array",
    description: "Resources this policy does not apply to, by name (metadata.name or Pulumi name), each with the reason.",
    default: [],
    items: {
        type: "object",
        properties: {
            name: { type: "string", minLength: 1, description: "metadata.name of the object, or its Pulumi resource name." },
            namespace: { type: "string", minLength: 1, description: "Only in this namespace." },
            kind: { type: "string", minLength: 1, description: "Only objects of this kind, e.g. StatefulSet." },
            reason: { type: "string", minLength: 10, description: "Why the resource is exempt, for reviewers." },
        },
        required: ["name", "reason"],
        additionalProperties: false,
    },
};

export const PROFILE_PROPERTY: ConfigProperty = {
    type: "string",
    enum: ["baseline", "restricted"],
    default: "restricted",
    description: "Pod Security Standard profile to enforce; restricted-only controls report nothing under baseline.",
};

export const VERSION_PROPERTY: ConfigProperty = {
    type: "string",
    pattern: VERSION_PATTERN,
    default: "latest",
    description:
        "Kubernetes version whose Pod Security Standards to enforce, like the namespace label " +
        'pod-security.kubernetes.io/enforce-version: "latest" (the newest the pack knows, v1.37) or "v1.N" for an older cluster.',
};

/** Thrown for a policy config that does not match the schema; lists every problem, one per line. */
export class PolicyConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`invalid policy configuration:\n${problems.join("\n")}`);
        this.name = "PolicyConfigError";
    }
}

/** Applies the schema's top-level defaults to a policy's config (what the CLI does before handing it over). */
export function withDefaults(schema: PolicyConfigSchema, raw: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(schema.properties)) {
        if (typeof property === "object" && property.default !== undefined) {
            out[key] = structuredClone(property.default);
        }
    }
    for (const [key, value] of Object.entries(raw)) {
        if (value !== undefined && key !== "enforcementLevel") {
            out[key] = value;
        }
    }
    return out;
}

const FIX = "Fix it in the policy config file passed with --policy-pack-config";

/** Problems with one policy's config, in the house format `<key> must <rule> (got <value>). <fix>.` */
export function configProblems(policy: string, schema: PolicyConfigSchema, raw: Record<string, unknown>): string[] {
    const problems: string[] = [];
    for (const key of Object.keys(raw)) {
        if (key !== "enforcementLevel" && !(key in schema.properties)) {
            const known = Object.keys(schema.properties).join(", ") || "none";
            problems.push(
                `${policy}.${key} must be one of this policy's settings (${known}) (got ${describe(raw[key])}). Remove it or correct ` +
                    "the spelling.",
            );
        }
    }
    for (const key of schema.required ?? []) {
        if (raw[key] === undefined) {
            problems.push(`${policy}.${key} must be set (got nothing). ${FIX}.`);
        }
    }
    for (const [key, property] of Object.entries(schema.properties)) {
        if (raw[key] !== undefined && typeof property === "object") {
            check(raw[key], property, `${policy}.${key}`, problems);
        }
    }
    return problems;
}

/** The policy's config with defaults applied; throws PolicyConfigError when it does not match the schema. */
export function readConfig<C>(policy: string, schema: PolicyConfigSchema, raw: Record<string, unknown>): C {
    const problems = configProblems(policy, schema, raw);
    if (problems.length > 0) {
        throw new PolicyConfigError(problems);
    }
    return withDefaults(schema, raw) as C;
}

/** The JSON-schema subset our schemas use; schemas using more are rejected by the catalogue tests. */
export const SUPPORTED_KEYWORDS: ReadonlySet<string> = new Set([
    "type",
    "enum",
    "minLength",
    "minimum",
    "maximum",
    "pattern",
    "items",
    "properties",
    "required",
    "additionalProperties",
    "minItems",
    "uniqueItems",
    "description",
    "default",
]);

function check(value: unknown, schema: PolicyConfigJSONSchemaDefinition, path: string, problems: string[]): void {
    if (typeof schema !== "object") {
        return;
    }
    const expected = schema.type;
    if (expected !== undefined && !(Array.isArray(expected) ? expected : [expected]).some((type) => hasType(value, type))) {
        problems.push(`${path} must be ${article(String(expected))} (got ${describe(value)}). ${FIX}.`);
        return;
    }
    if (schema.enum && !schema.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) {
        problems.push(`${path} must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")} (got ${describe(value)}). ${FIX}.`);
    }
    if (typeof value === "string") {
        if (schema.minLength !== undefined && value.length < schema.minLength) {
            problems.push(
                schema.minLength === 1
                    ? `${path} must not be empty (got ""). ${FIX}.`
                    : `${path} must be at least ${schema.minLength} characters (got ${describe(value)}). ${FIX}.`,
            );
        }
        if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) {
            problems.push(`${path} must match ${schema.pattern} (got ${describe(value)}). ${FIX}.`);
        }
    }
    if (typeof value === "number") {
        if (schema.minimum !== undefined && value < schema.minimum) {
            problems.push(`${path} must be ≥ ${schema.minimum} (got ${value}). ${FIX}.`);
        }
        if (schema.maximum !== undefined && value > schema.maximum) {
            problems.push(`${path} must be ≤ ${schema.maximum} (got ${value}). ${FIX}.`);
        }
    }
    if (Array.isArray(value)) {
        if (schema.minItems !== undefined && value.length < schema.minItems) {
            problems.push(`${path} must have at least ${schema.minItems} entries (got ${value.length}). ${FIX}.`);
        }
        if (schema.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) {
            problems.push(`${path} must not repeat an entry (got ${describe(value)}). ${FIX}.`);
        }
        if (schema.items !== undefined && !Array.isArray(schema.items)) {
            for (const [i, element] of value.entries()) {
                check(element, schema.items as ConfigProperty, `${path}[${i}]`, problems);
            }
        }
    }
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        const record = value as Record<string, unknown>;
        for (const key of schema.required ?? []) {
            if (record[key] === undefined) {
                problems.push(`${path}.${key} must be set (got nothing). ${FIX}.`);
            }
        }
        for (const [key, element] of Object.entries(record)) {
            const property = schema.properties?.[key];
            if (property !== undefined) {
                check(element, property, `${path}.${key}`, problems);
            } else if (schema.additionalProperties === false) {
                const known = Object.keys(schema.properties ?? {}).join(", ");
                problems.push(`${path}.${key} must be one of ${known} (got ${describe(element)}). Remove it or correct the spelling.`);
            } else if (typeof schema.additionalProperties === "object") {
                check(element, schema.additionalProperties, `${path}.${key}`, problems);
            }
        }
    }
}

function hasType(value: unknown, type: string): boolean {
    switch (type) {
        case "array":
            return Array.isArray(value);
        case "object":
            return value !== null && typeof value === "object" && !Array.isArray(value);
        case "integer":
            return Number.isInteger(value);
        case "null":
            return value === null;
        default:
            return typeof value === type;
    }
}

function article(type: string): string {
    return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describe(value: unknown): string {
    const json = JSON.stringify(value);
    return json === undefined ? "nothing" : json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** The object an exemption is matched against. */
export interface ExemptionTarget {
    kind: string;
    pulumiName: string;
    name?: string;
    namespace?: string | Unknown;
}

/** The exemption covering this object, if any: by name (Kubernetes or Pulumi), narrowed by namespace and kind. */
export function findExemption(exemptions: readonly Exemption[], target: ExemptionTarget): Exemption | undefined {
    return exemptions.find(
        (exemption) =>
            (exemption.name === target.name || exemption.name === target.pulumiName) &&
            (exemption.kind === undefined || exemption.kind === target.kind) &&
            (exemption.namespace === undefined || exemption.namespace === target.namespace),
    );
}
