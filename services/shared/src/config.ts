// Reads a service's configuration from the environment only, checking every variable up front and
// reporting all problems at once, each naming the variable, the bad value and what is allowed.

export interface VarSpec<T> {
    /** What the variable means, shown when it is missing. */
    description: string;
    /** Used when the variable is unset; without one the variable is required. */
    default?: string;
    parse: (raw: string) => T;
    /** Secrets are never echoed back in error messages. */
    secret?: boolean;
}

export class ConfigError extends Error {}

export const text = (description: string, options: { default?: string; secret?: boolean; minLength?: number } = {}): VarSpec<string> => ({
    description,
    default: options.default,
    secret: options.secret,
    parse: (raw) => {
        const min = options.minLength ?? 1;
        if (raw.length < min) {
            throw new ConfigError(`must be at least ${min} characters long`);
        }
        return raw;
    },
});

export const integer = (description: string, options: { default?: number; min?: number; max?: number } = {}): VarSpec<number> => ({
    description,
    default: options.default === undefined ? undefined : String(options.default),
    parse: (raw) => {
        const min = options.min ?? 0;
        const max = options.max ?? Number.MAX_SAFE_INTEGER;
        const value = Number(raw);
        if (!/^-?\d+$/.test(raw) || value < min || value > max) {
            throw new ConfigError(`must be an integer from ${min} to ${max}`);
        }
        return value;
    },
});

export const url = (description: string, options: { default?: string } = {}): VarSpec<string> => ({
    description,
    default: options.default,
    parse: (raw) => {
        let parsed: URL;
        try {
            parsed = new URL(raw);
        } catch {
            throw new ConfigError("must be an absolute http(s) URL such as http://blog:8080");
        }
        if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
            throw new ConfigError("must be an absolute http(s) URL such as http://blog:8080");
        }
        return raw.replace(/\/$/, "");
    },
});

export type ConfigOf<S extends Record<string, VarSpec<unknown>>> = { [K in keyof S]: S[K] extends VarSpec<infer T> ? T : never };

/** Parses every variable in `spec`; throws one ConfigError listing every problem. Pure: env is passed in. */
export function parseConfig<S extends Record<string, VarSpec<unknown>>>(spec: S, env: NodeJS.ProcessEnv): ConfigOf<S> {
    const problems: string[] = [];
    const result: Record<string, unknown> = {};
    for (const [name, varSpec] of Object.entries(spec)) {
        const raw = env[name] ?? varSpec.default;
        if (raw === undefined || raw === "") {
            problems.push(`${name} is not set (${varSpec.description})`);
            continue;
        }
        try {
            result[name] = varSpec.parse(raw);
        } catch (error) {
            const shown = varSpec.secret ? "<hidden>" : JSON.stringify(raw);
            problems.push(`${name}=${shown} ${(error as Error).message}`);
        }
    }
    if (problems.length > 0) {
        throw new ConfigError(`invalid configuration:\n  ${problems.join("\n  ")}`);
    }
    return result as ConfigOf<S>;
}

/** Reads the config or exits with the message (no stack trace: a bad variable is a user mistake). */
export function loadConfig<S extends Record<string, VarSpec<unknown>>>(service: string, spec: S): ConfigOf<S> {
    try {
        return parseConfig(spec, process.env);
    } catch (error) {
        if (error instanceof ConfigError) {
            process.stderr.write(`${service}: ${error.message}\n`);
            process.exit(78); // EX_CONFIG
        }
        throw error;
    }
}

/** The connection variables the platform sets for every postgres client. */
export const DATABASE_VARS = {
    DATABASE_HOST: text("PostgreSQL host"),
    DATABASE_PORT: integer("PostgreSQL port", { default: 5432, min: 1, max: 65535 }),
    DATABASE_NAME: text("PostgreSQL database name"),
    DATABASE_USER: text("PostgreSQL user"),
    DATABASE_PASSWORD: text("PostgreSQL password", { secret: true }),
    DATABASE_POOL_SIZE: integer("connections in the pool", { default: 10, min: 1, max: 100 }),
};

/** The connection variables the platform sets for every redis client. */
export const REDIS_VARS = {
    REDIS_HOST: text("Redis host"),
    REDIS_PORT: integer("Redis port", { default: 6379, min: 1, max: 65535 }),
    REDIS_PASSWORD: text("Redis password", { secret: true }),
};

/** Every server's own variables. */
export const SERVER_VARS = {
    PORT: integer("port the public API listens on", { default: 8080, min: 1, max: 65535 }),
    ADMIN_PORT: integer("port /metrics, /health and /ready listen on (never routed to)", { default: 9464, min: 1, max: 65535 }),
    LOG_LEVEL: {
        description: "pino log level",
        default: "info",
        parse: (raw: string) => {
            const levels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
            if (!levels.includes(raw)) {
                throw new ConfigError(`must be one of ${levels.join(", ")}`);
            }
            return raw;
        },
    } satisfies VarSpec<string>,
    TRUSTED_PROXY_HOPS: integer(
        "proxies in front of the service whose X-Forwarded-For entries are trusted (gateway = 1, ingress + gateway = 2)",
        { default: 1, max: 10 },
    ),
    SHUTDOWN_DELAY_MS: integer("on SIGTERM, keep serving (readiness failing) this long so endpoints drop the pod", {
        default: 3000,
        max: 60000,
    }),
    SHUTDOWN_TIMEOUT_MS: integer("after the delay, how long in-flight requests may take before the process exits anyway", {
        default: 20000,
        min: 100,
        max: 300000,
    }),
};
