// Config problems in the house format, and the error that reports them all at once.
import * as pulumi from "@pulumi/pulumi";

export const PROJECT = "blog";

/** A config mistake: every problem found, one per line, shown without a stack trace. */
export class ConfigError extends pulumi.RunError {
    constructor(readonly problems: string[]) {
        super(`invalid stack config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  - ${problems.join("\n  - ")}`);
        this.name = "ConfigError";
    }
}

/** Collects problems in the house format: `<key> must <rule> (got <value>). <how to fix>.` */
export class Problems {
    readonly list: string[] = [];
    add(path: string, rule: string, got: unknown, fix: string): void {
        this.list.push(`${PROJECT}:${path} must ${rule} (got ${describe(got)}). ${fix}.`);
    }
    setHint(path: string, example: string): string {
        return `Run: pulumi config set --path '${path}' ${example}`;
    }
}

function describe(value: unknown): string {
    if (value === undefined) {
        return "nothing";
    }
    return typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
}
