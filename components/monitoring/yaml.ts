// A small YAML emitter for the configs we generate, so runtime code needs no YAML library.
// Every string is double-quoted with JSON escapes (valid YAML), so no value can change type or
// break the document, however odd its characters.

type Value = string | number | boolean | null | undefined | Value[] | { [key: string]: Value };

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.\/-]*$/;

/** Renders plain data as block-style YAML; undefined fields are omitted, like JSON.stringify does. */
export function toYaml(value: unknown): string {
    return `${render(value as Value, 0).join("\n")}\n`;
}

function scalar(value: Value): string {
    if (value === null) {
        return "null";
    }
    if (typeof value === "number") {
        if (!Number.isFinite(value)) {
            throw new Error(`cannot write ${value} to YAML`);
        }
        return String(value);
    }
    if (typeof value === "boolean") {
        return String(value);
    }
    return JSON.stringify(value);
}

function isEmpty(value: Value): boolean {
    return (Array.isArray(value) && value.length === 0) || (typeof value === "object" && value !== null && Object.keys(value).length === 0);
}

function render(value: Value, indent: number): string[] {
    const pad = " ".repeat(indent);
    if (Array.isArray(value)) {
        return value.flatMap((item) => {
            if (typeof item === "object" && item !== null && !isEmpty(item)) {
                const [first, ...rest] = render(item, indent + 2);
                return [`${pad}- ${first.trimStart()}`, ...rest];
            }
            return [`${pad}- ${inline(item)}`];
        });
    }
    if (typeof value === "object" && value !== null) {
        return Object.entries(value)
            .filter(([, v]) => v !== undefined)
            .flatMap(([key, v]) => {
                const name = PLAIN_KEY.test(key) ? key : JSON.stringify(key);
                if (typeof v === "object" && v !== null && !isEmpty(v)) {
                    return [`${pad}${name}:`, ...render(v, Array.isArray(v) ? indent : indent + 2)];
                }
                return [`${pad}${name}: ${inline(v)}`];
            });
    }
    return [`${pad}${scalar(value)}`];
}

function inline(value: Value): string {
    if (Array.isArray(value)) {
        return "[]";
    }
    if (typeof value === "object" && value !== null) {
        return "{}";
    }
    return scalar(value);
}
