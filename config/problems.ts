// Config problems in the house format, from zod issues and from cross-field checks, and the error
// that reports them all at once.
import * as pulumi from "@pulumi/pulumi";
import { closest } from "fastest-levenshtein";
import type { z } from "zod";
import { decodeRuleMessage } from "./schema";

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

    /** Adds one problem per zod issue, under `prefix` (the config key the parsed value came from). */
    addIssues(prefix: string, issues: readonly z.core.$ZodIssue[]): void {
        for (const issue of issues) {
            const key = [prefix, ...issue.path.map(String)]
                .filter((part) => part !== "")
                .join(".")
                .replace(/\.(\d+)(?=\.|$)/g, "[$1]");
            const decoded = decodeRuleMessage(issue.message);
            if (issue.code === "unrecognized_keys") {
                for (const field of issue.keys) {
                    const fieldKey = key === "" ? field : `${key}.${field}`;
                    const nearest = decoded?.known?.length ? closest(field, [...decoded.known]) : undefined;
                    const rm = key === "" ? `pulumi config rm ${field}` : `pulumi config rm --path '${fieldKey}'`;
                    this.add(
                        fieldKey,
                        decoded?.rule ?? "be a known field",
                        field,
                        `${nearest ? `Did you mean ${nearest}? ` : ""}Fix the name or run: ${rm}`,
                    );
                }
                continue;
            }
            const got = decoded?.redact && issue.input !== undefined ? "[redacted]" : issue.input;
            if (decoded === undefined) {
                // Only zod's own checks get here; they still name the key and the value.
                this.add(key, `be valid (${issue.message})`, got, "See Pulumi.yaml for what the key accepts");
            } else {
                const fix = decoded.fix?.replace("<key>", key) ?? this.setHint(key, decoded.example ?? "<value>");
                this.add(key, decoded.rule, got, fix);
            }
        }
    }
}

function describe(value: unknown): string {
    if (value === undefined) {
        return "nothing";
    }
    return JSON.stringify(value) ?? String(value);
}
