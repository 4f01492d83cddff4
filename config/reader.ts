// Reads typed values out of one level of raw stack config, recording problems instead of throwing.
import { parseDuration } from "../components/monitoring/duration";
import { parseQuantity } from "../components/shared/quantity";
import { ResourceSpec } from "../components/shared/resources";
import { Problems, PROJECT } from "./problems";

/** Raw config as the CLI hands it over: "blog:key" → string (structured values as JSON). */
export type Raw = Record<string, string | undefined>;

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Reads typed values from one level of config, recording problems instead of throwing. */
export class Reader {
    constructor(private readonly values: Raw | Record<string, unknown>, private readonly p: Problems, private readonly prefix = "") {}

    raw(key: string): unknown {
        const value = this.values[this.prefix === "" ? `${PROJECT}:${key}` : key];
        return value === "" && this.prefix === "" ? undefined : value;
    }

    private bad(key: string, rule: string, got: unknown, example: string): void {
        this.p.add(this.prefix + key, rule, got, this.p.setHint(this.prefix + key, example));
    }

    object(key: string): Record<string, unknown> {
        const value = this.raw(key);
        if (value === undefined) {
            return {};
        }
        let parsed: unknown = value;
        if (typeof value === "string") {
            try {
                parsed = JSON.parse(value);
            } catch {
                parsed = value;
            }
        }
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
            this.p.add(this.prefix + key, "be an object (structured config)", value, `Set its fields with: pulumi config set --path '${this.prefix + key}.<field>' <value>`);
            return {};
        }
        return parsed as Record<string, unknown>;
    }

    optionalString(key: string): string | undefined {
        const value = this.raw(key);
        if (value === undefined || value === "") {
            return undefined;
        }
        if (typeof value !== "string") {
            this.bad(key, "be a string", value, "<text>");
            return undefined;
        }
        return value;
    }

    string(key: string, fallback: string, pattern: RegExp, rule: string): string {
        const value = this.optionalString(key) ?? fallback;
        if (!pattern.test(value)) {
            this.bad(key, rule, value, fallback);
        }
        return value;
    }

    oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T | undefined): T | undefined {
        const value = this.optionalString(key);
        if (value === undefined && fallback === undefined) {
            this.bad(key, `be set to one of ${allowed.join(", ")}`, undefined, allowed[0]);
            return undefined;
        }
        if (value !== undefined && !(allowed as readonly string[]).includes(value)) {
            this.bad(key, `be one of ${allowed.join(", ")}`, value, allowed[0]);
            return fallback;
        }
        return (value as T | undefined) ?? fallback;
    }

    boolean(key: string, fallback: boolean): boolean {
        const value = this.raw(key);
        if (value === undefined) {
            return fallback;
        }
        if (value === true || value === "true") {
            return true;
        }
        if (value === false || value === "false") {
            return false;
        }
        this.bad(key, "be true or false", value, String(fallback));
        return fallback;
    }

    integer(key: string, fallback: number, min: number, why: string): number {
        const value = this.raw(key);
        const parsed = value === undefined ? fallback : typeof value === "number" ? value : Number(value);
        if (!Number.isInteger(parsed) || parsed < min) {
            this.bad(key, `be an integer ≥ ${min}${why ? ` ${why}` : ""}`, value, String(Math.max(min, fallback)));
            return Math.max(min, fallback);
        }
        return parsed;
    }

    quantity(key: string, fallback: string, kind: "cpu" | "memory"): string {
        const value = this.raw(key) ?? fallback;
        const example = kind === "cpu" ? "250m" : "256Mi";
        if (typeof value !== "string" && typeof value !== "number") {
            this.bad(key, `be a Kubernetes quantity like ${example}`, value, example);
            return fallback;
        }
        const text = String(value);
        const parsed = parseQuantity(text);
        if (parsed === undefined || parsed <= 0) {
            const rule = kind === "cpu" ? "be a CPU quantity like 250m or 1" : "be a memory quantity like 256Mi or 1Gi (binary suffixes Ki, Mi, Gi; not MB)";
            this.bad(key, rule, value, example);
            return fallback;
        }
        return text;
    }

    resources(key: string, fallback: ResourceSpec): ResourceSpec {
        const o = new Reader(this.object(key), this.p, `${this.prefix}${key}.`);
        const requests = new Reader(o.object("requests"), this.p, `${this.prefix}${key}.requests.`);
        const limits = new Reader(o.object("limits"), this.p, `${this.prefix}${key}.limits.`);
        const spec: ResourceSpec = {
            requests: { cpu: requests.quantity("cpu", fallback.requests.cpu, "cpu"), memory: requests.quantity("memory", fallback.requests.memory, "memory") },
            limits: { cpu: limits.quantity("cpu", fallback.limits.cpu, "cpu"), memory: limits.quantity("memory", fallback.limits.memory, "memory") },
        };
        for (const resource of ["cpu", "memory"] as const) {
            const request = parseQuantity(spec.requests[resource]) ?? 0;
            const limit = parseQuantity(spec.limits[resource]) ?? 0;
            if (limit < request) {
                this.p.add(`${this.prefix}${key}.limits.${resource}`, `be at least the request (${spec.requests[resource]})`, spec.limits[resource],
                    this.p.setHint(`${this.prefix}${key}.limits.${resource}`, spec.requests[resource]));
            }
        }
        return spec;
    }

    /** A Prometheus duration ("30s", "15d") of at least `minimum` (itself a duration). */
    duration(key: string, fallback: string, minimum: string): string {
        const value = this.raw(key) ?? fallback;
        const seconds = typeof value === "string" ? parseDuration(value) : undefined;
        if (seconds === undefined || seconds < (parseDuration(minimum) ?? 0)) {
            this.bad(key, `be a Prometheus duration of at least ${minimum} like ${fallback}`, value, fallback);
            return fallback;
        }
        return value as string;
    }

    /** A number above 0 and at most 1. */
    fraction(key: string, fallback: number): number {
        const value = this.raw(key);
        const parsed = value === undefined ? fallback : typeof value === "number" ? value : Number(value);
        if (!Number.isFinite(parsed) || parsed <= 0 || parsed > 1) {
            this.bad(key, "be a number above 0 and at most 1", value, String(fallback));
            return fallback;
        }
        return parsed;
    }

    image(key: string, fallback: string | undefined, alternative: string): string {
        const value = this.optionalString(key) ?? fallback;
        const rule = "be an image reference pinned to a version tag or digest (not 'latest')";
        if (value === undefined) {
            this.bad(key, `${rule}${alternative ? `; ${alternative}` : ""}`, undefined, "registry.example.com/app:1.2.3");
            return "";
        }
        const pinned = /^[a-z0-9][a-z0-9._\/:-]*(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?(@sha256:[a-f0-9]{64})?$/.exec(value);
        const lastSegment = value.split("@")[0].split("/").pop() ?? "";
        const tag = lastSegment.includes(":") ? lastSegment.split(":").pop() : undefined;
        if (!pinned || (!tag && !value.includes("@sha256:")) || tag === "latest") {
            this.bad(key, rule, value, "registry.example.com/app:1.2.3");
        }
        return value;
    }
}
