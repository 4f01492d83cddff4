// Preview-safe reading of resource properties: values the engine cannot know yet become UNKNOWN
// instead of throwing, so a rule can tell "not set" from "not known yet" and report neither as wrong.

/** Marks a value that is not known until the update runs (an output of a resource still to be created). */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
export type Unknown = typeof UNKNOWN;

/**
 * The sentinels @pulumi/policy substitutes for unknown values. Its proxy throws on reading one; code that
 * sees the raw properties (a remediation's return value, a test) meets the strings themselves.
 */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/**
 * True for @pulumi/policy's UnknownValueError. Matched by shape rather than instanceof: the pack and a
 * test harness may load different copies of the package.
 */
export function isUnknownValueError(error: unknown): boolean {
    return error instanceof Error && "unknownTypeSentinel" in error && "props" in error;
}

/**
 * Copies resource properties (possibly behind @pulumi/policy's unknown-checking and secret-preserving
 * proxies) into plain data, with UNKNOWN wherever a value is not known. Secrets are unwrapped: rules
 * read values, they never print them.
 */
export function resolve(value: unknown): unknown {
    if (typeof value === "string") {
        return UNKNOWN_SENTINELS.has(value) ? UNKNOWN : value;
    }
    if (value === null || typeof value !== "object") {
        return value;
    }
    if (isSecretWrapper(value)) {
        return resolve(readSafely(value, "value"));
    }
    if (Array.isArray(value)) {
        const length = readSafely(value, "length");
        if (length === UNKNOWN || typeof length !== "number") {
            return UNKNOWN;
        }
        return Array.from({ length }, (_, i) => resolve(readSafely(value, i)));
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
        out[key] = resolve(readSafely(value, key));
    }
    return out;
}

function readSafely(target: object, key: string | number): unknown {
    try {
        return (target as Record<string | number, unknown>)[key];
    } catch (error) {
        if (isUnknownValueError(error)) {
            return UNKNOWN;
        }
        throw error;
    }
}

function isSecretWrapper(value: object): boolean {
    // @pulumi/policy's Secret class (remediations see secret values wrapped in it).
    return value.constructor?.name === "Secret" && Object.keys(value).length === 1 && "value" in value;
}

/** Reads a path through plain data; UNKNOWN as soon as a step is unknown, undefined when a step is missing. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
    let current = value;
    for (const key of path) {
        if (current === UNKNOWN) {
            return UNKNOWN;
        }
        if (current === null || typeof current !== "object") {
            return undefined;
        }
        current = (current as Record<string | number, unknown>)[key];
    }
    return current;
}

/** The elements of a list field: [] when absent, UNKNOWN when the list itself is not known. */
export function items(value: unknown): unknown[] | Unknown {
    if (value === UNKNOWN) {
        return UNKNOWN;
    }
    return Array.isArray(value) ? value : [];
}

/** A map field's entries; [] when absent, UNKNOWN when the map is not known. */
export function entries(value: unknown): [string, unknown][] | Unknown {
    if (value === UNKNOWN) {
        return UNKNOWN;
    }
    return value !== null && typeof value === "object" && !Array.isArray(value) ? Object.entries(value) : [];
}

export const isKnown = <T>(value: T | Unknown): value is T => value !== UNKNOWN;

/** A string field's value, or undefined when absent or not a string (UNKNOWN passes through). */
export function text(value: unknown): string | undefined | Unknown {
    return value === UNKNOWN ? UNKNOWN : typeof value === "string" ? value : undefined;
}

/** Prints a value for a message: quoted strings, `unset` for undefined, never `undefined`. */
export function show(value: unknown): string {
    if (value === undefined || value === null) {
        return "unset";
    }
    if (value === UNKNOWN) {
        return "(unknown until deployed)";
    }
    return typeof value === "string" ? `"${value}"` : JSON.stringify(value);
}

/**
 * Reads a path straight through @pulumi/policy's proxies (for the odd value not worth resolving whole,
 * such as the provider's namespace); UNKNOWN when the engine does not know it yet.
 */
export function readRaw(value: unknown, ...path: string[]): unknown {
    try {
        let current: unknown = value;
        for (const key of path) {
            if (current === null || typeof current !== "object") {
                return undefined;
            }
            current = (current as Record<string, unknown>)[key];
        }
        return typeof current === "string" && UNKNOWN_SENTINELS.has(current) ? UNKNOWN : current;
    } catch (error) {
        if (isUnknownValueError(error)) {
            return UNKNOWN;
        }
        throw error;
    }
}
