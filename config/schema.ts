// Zod building blocks for stack config: leaves that accept what `pulumi config set --path` stores
// ("true", "2") and carry the house message in their errors, and strict objects that name unknown fields.
import { z } from "zod";
import { parseDuration } from "../components/monitoring/duration";
import { parseQuantity } from "../components/shared/quantity";

/** What a failed check carries to the formatter: the rule after "must", and a value that would pass. */
export interface RuleMessage {
    rule: string;
    /** Written into the `pulumi config set --path` hint. */
    example?: string;
    /** A fix of its own instead of the set hint (e.g. a command to remove the key). */
    fix?: string;
    /** Unknown-field issues: the fields that are known, to suggest the nearest. */
    known?: readonly string[];
    /** Replaces the value in the message, for values that must never be echoed (secrets). */
    redact?: boolean;
}

const MARK = "blog-config:";

/** Encodes a rule into a zod issue message; the formatter decodes it (see config/problems.ts). */
export function ruleMessage(message: RuleMessage): string {
    return MARK + JSON.stringify(message);
}

export function decodeRuleMessage(message: string): RuleMessage | undefined {
    return message.startsWith(MARK) ? (JSON.parse(message.slice(MARK.length)) as RuleMessage) : undefined;
}

/** An error map that reports every failure of a leaf as one rule. */
const fails = (rule: string, example: string, extra: Partial<RuleMessage> = {}) => ({
    error: () => ruleMessage({ rule, example, ...extra }),
});

/** Strings the CLI stores for numbers become numbers; anything else is left for the check to reject. */
const numberFromText = (value: unknown) => (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value);
const booleanFromText = (value: unknown) => (value === "true" ? true : value === "false" ? false : value);

export function bool() {
    return z.preprocess(booleanFromText, z.boolean(fails("be true or false", "true")));
}

/** A boolean that must be true (a prod requirement), with the reason as the rule. */
export function mustBeTrue(rule: string) {
    return z.preprocess(booleanFromText, z.literal(true, fails(rule, "true")));
}

export function integer(min: number, max: number, why = "") {
    const rule = `be an integer from ${min} to ${max}${why ? ` ${why}` : ""}`;
    return z.preprocess(
        numberFromText,
        z
            .number(fails(rule, String(min)))
            .int()
            .min(min)
            .max(max),
    );
}

/** A number above 0 and at most 1. */
export function fraction(example: number) {
    return z.preprocess(
        numberFromText,
        z
            .number(fails("be a number above 0 and at most 1", String(example)))
            .gt(0)
            .max(1),
    );
}

export function pattern(regex: RegExp, rule: string, example: string) {
    return z.string(fails(rule, example)).regex(regex);
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
    return z.enum(values, fails(`be one of ${values.join(", ")}`, values[0]));
}

/** Any non-empty string (paths, class names); `example` goes into the hint. */
export function text(example: string) {
    return z.string(fails("be a non-empty string", example)).min(1);
}

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
export function dnsLabel(example: string) {
    return pattern(DNS_LABEL, "be a DNS-1123 label (lowercase letters, digits, '-')", example);
}

/** A Kubernetes quantity of `kind`, above zero and at most `max`; numbers are read as their text. */
export function quantity(kind: "cpu" | "memory" | "storage", max: string) {
    const rule = {
        cpu: `be a CPU quantity like 250m or 1, at most ${max}`,
        memory: `be a memory quantity like 256Mi or 1Gi (binary suffixes Ki, Mi, Gi; not MB), at most ${max}`,
        storage: `be a memory quantity like 256Mi or 1Gi (binary suffixes Ki, Mi, Gi; not MB), at most ${max}`,
    }[kind];
    const example = kind === "cpu" ? "250m" : kind === "memory" ? "256Mi" : "10Gi";
    const ceiling = parseQuantity(max) ?? 0;
    return z.preprocess(
        (value) => (typeof value === "number" ? String(value) : value),
        z.string(fails(rule, example)).refine((value) => {
            const parsed = parseQuantity(value);
            return parsed !== undefined && parsed > 0 && parsed <= ceiling;
        }),
    );
}

/** A Prometheus duration ("30s", "15d") of at least `minimum`. */
export function duration(minimum: string, example: string) {
    const floor = parseDuration(minimum) ?? 0;
    return z.string(fails(`be a Prometheus duration of at least ${minimum} like ${example}`, example)).refine((value) => {
        const seconds = parseDuration(value);
        return seconds !== undefined && seconds >= floor && seconds > 0;
    });
}

const PINNED_IMAGE = /^[a-z0-9][a-z0-9._/:-]*(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

/** An image reference pinned to a version tag or a digest, never `latest` or untagged. */
export function pinnedImage() {
    return z
        .string(fails("be an image reference pinned to a version tag or digest (not 'latest')", "registry.example.com/app:1.2.3"))
        .refine((value) => {
            const lastSegment = value.split("@")[0].split("/").pop() ?? "";
            const tag = lastSegment.includes(":") ? lastSegment.split(":").pop() : undefined;
            return PINNED_IMAGE.test(value) && (tag !== undefined || value.includes("@sha256:")) && tag !== "latest";
        });
}

/** A version tag for the platform's own images. */
export function versionTag() {
    return z
        .string(fails("be a version tag like 1.4.2 (not 'latest', which moves under a running deployment)", "1.4.2"))
        .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/)
        .refine((value) => value !== "latest");
}

/**
 * An object that rejects fields it does not declare, naming the nearest known one. `what` completes
 * "must be one of …" (e.g. "the fields of postgres"); `rule` replaces the whole rule when given.
 */
export function strict<S extends z.core.$ZodLooseShape>(what: string, shape: S, rule?: string) {
    const known = Object.keys(shape);
    return z.strictObject(shape, {
        error: (issue) =>
            issue.code === "unrecognized_keys"
                ? ruleMessage({ rule: rule ?? `be one of ${what} (${known.join(", ")})`, known })
                : ruleMessage({
                      rule: "be an object (structured config)",
                      fix: "Set its fields with: pulumi config set --path '<key>.<field>' <value>",
                  }),
    });
}

/** A list of entries; a non-list is reported with the shape it should have. */
export function list<T extends z.ZodType>(entry: T, shape: string, min = 0) {
    return z
        .array(entry, {
            error: () => ruleMessage({ rule: `be a${min > 0 ? " non-empty" : ""} list of ${shape}`, fix: "See Pulumi.yaml for the shape" }),
        })
        .min(min);
}
