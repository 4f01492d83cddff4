// Server bootstrap every backend shares: JSON logs, request metrics, clear 4xx messages naming the bad field,
// and a graceful SIGTERM (fail readiness, stop accepting, drain, close pools).
//
// Two listeners: the public one serves the service's API and nothing else; the admin one serves /metrics and
// the /health and /ready probes, on a port no gateway route or Service points at. The gateway passes every
// path under a route's prefix to the service, so an endpoint on the public listener is public: keeping the
// internal ones on a listener of their own makes that so by construction, not by a deny list.
import Fastify, {
    type FastifyInstance,
    type FastifyError,
    type FastifyBaseLogger,
    type FastifyReply,
    type FastifyRequest,
    LogController,
} from "fastify";
import { pino, type Logger } from "pino";
import { createMetrics, instrument, type Metrics } from "./metrics.js";
import type { HttpError } from "./jwt.js";
import { isDependencyUnavailable } from "./unavailable.js";

/** Retry-After on a 503 for an unreachable dependency: about one readiness period, what a restart takes. */
const DEPENDENCY_RETRY_AFTER_SECONDS = 5;

export interface ServiceOptions {
    name: string;
    logLevel: string;
    /** Proxies in front of the service (the gateway; plus an ingress controller in prod). @default 1 */
    trustedProxyHops?: number;
    /** Largest accepted request body. @default 64 KiB (JSON APIs) */
    bodyLimit?: number;
    /**
     * Each returns when the dependency answers and throws when it does not. The pod is not Ready until
     * each has answered once; after that a failure is reported as "degraded" but keeps it Ready.
     */
    readinessChecks: Record<string, () => Promise<unknown>>;
}

/**
 * Everything the admin listener serves; nothing else is registered on it, and the public listener refuses
 * these paths. The platform's contract (components/shared/topology.ts, ADMIN_PATHS) lists the same, which
 * services/test checks, and the real-node suites prove each answers 404 through the public entry.
 */
export const ADMIN_PATHS = { metrics: "/metrics", liveness: "/health", readiness: "/ready" } as const;
const ADMIN_PATH_SET: ReadonlySet<string> = new Set(Object.values(ADMIN_PATHS));

export interface Service {
    /** The public API: the routes the gateway's prefix leads to. */
    app: FastifyInstance;
    /** Metrics and probes, on the admin port. */
    admin: FastifyInstance;
    /** The paths the admin listener serves. */
    adminRoutes: readonly string[];
    log: Logger;
    metrics: Metrics;
}

const SECRET_FIELDS = /password|token|secret/i;

/** A request slower than this is logged at warn whatever its status: it is worth reading. */
export const SLOW_REQUEST_MS = 1000;

/**
 * At most one log line per request, written when it completes, with the request and the response in it.
 * Fastify's default is two at info (an "incoming request" line, then "request completed"), serialized and
 * written to stdout in the hot path of every request. A fast success is logged at debug: the gateway's
 * access log already has a line for every request, with the X-Request-ID the service logs under, so at
 * info the service writes what is worth reading (a 4xx at info, a slow request at warn, a 5xx or a failure
 * at error). Measured on the real node (docs/load.md), blog's front page cost about 80 µs of CPU a request
 * less without the per-request lines.
 */
export class RequestLog extends LogController {
    override incomingRequest(request: FastifyRequest): void {
        request.log.debug({ req: request }, "incoming request");
    }

    override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply): void {
        const fields = () => ({ req: request, res: reply, responseTime: reply.elapsedTime });
        if (error || reply.statusCode >= 500) {
            reply.log.error({ ...fields(), ...(error ? { err: error } : {}) }, "request failed");
        } else if (reply.elapsedTime >= SLOW_REQUEST_MS) {
            reply.log.warn(fields(), "slow request");
        } else if (reply.statusCode >= 400) {
            reply.log.info(fields(), "request refused");
        } else if ((reply.log as unknown as Logger).isLevelEnabled("debug")) {
            reply.log.debug(fields(), "request completed");
        }
    }
}

export function createService(options: ServiceOptions): Service {
    const log = pino({
        level: options.logLevel,
        base: { service: options.name },
        timestamp: pino.stdTimeFunctions.isoTime,
        redact: ["req.headers.authorization", "req.headers.cookie", 'req.headers["x-api-key"]'],
    });
    const app: FastifyInstance = Fastify({
        loggerInstance: log as unknown as FastifyBaseLogger,
        logController: new RequestLog(),
        bodyLimit: options.bodyLimit ?? 64 * 1024,
        // Behind N proxies the client is the Nth X-Forwarded-For entry from the right, the one our outermost
        // proxy appended. Trusting more hops would let a client pick its own address and dodge the login limit.
        trustProxy: (_address: string, hop: number) => hop < (options.trustedProxyHops ?? 1),
        requestIdHeader: "x-request-id",
        // Keep-alive connections with no request in flight are closed at shutdown, busy ones drain.
        forceCloseConnections: "idle",
        ajv: { customOptions: { verbose: true, allErrors: false, coerceTypes: "array", removeAdditional: false } },
        schemaErrorFormatter: (errors, dataVar) => {
            const error = errors[0];
            const field = `${dataVar}${error.instancePath.replace(/\//g, ".")}`;
            const missing = error.keyword === "required" ? `.${(error.params as { missingProperty: string }).missingProperty}` : "";
            const shown =
                SECRET_FIELDS.test(field + missing) || error.keyword === "required"
                    ? ""
                    : ` (got ${JSON.stringify((error as unknown as { data: unknown }).data)?.slice(0, 80)})`;
            const allowed =
                error.keyword === "additionalProperties" ? ` '${(error.params as { additionalProperty: string }).additionalProperty}'` : "";
            return new Error(`${field}${missing} ${error.message}${allowed}${shown}`);
        },
    });
    // A route of the public API under an admin path would be served to the world: refuse it at start-up.
    app.addHook("onRoute", (route) => {
        if (ADMIN_PATH_SET.has(route.url)) {
            throw new Error(`${route.url} is served on the admin port only; the public listener must not register it`);
        }
    });
    // ...and answer them 404 before any route is matched: without this, /metrics on the public port reaches
    // a route such as blog's GET /:id and is a 400 for its id, which tells a caller the path is routed.
    app.addHook("onRequest", async (request, reply) => {
        if (ADMIN_PATH_SET.has(pathOf(request.url))) {
            return reply.code(404).send(noRoute(request));
        }
    });
    const metrics = createMetrics(options.name);
    instrument(app, metrics);
    const admin: FastifyInstance = Fastify({
        loggerInstance: log.child({ listener: "admin" }) as unknown as FastifyBaseLogger,
        // Probes and scrapes send no body.
        bodyLimit: 1024,
        forceCloseConnections: true,
    });
    // Logged at start-up, so what the admin port serves is seen (and checked by services/test), not assumed.
    const adminRoutes: string[] = [];
    admin.addHook("onRoute", (route) => {
        if (!adminRoutes.includes(route.url)) {
            adminRoutes.push(route.url);
        }
    });

    let draining = false;
    const answeredOnce = new Set<string>();
    app.decorate("startDraining", () => {
        draining = true;
    });
    // From SIGTERM on, every response asks the client to close its keep-alive connection: callers move to
    // other replicas, and the connection is not left idle-but-open for app.close() to wait on.
    app.addHook("onSend", async (_request, reply) => {
        if (draining) {
            reply.header("connection", "close");
        }
    });
    admin.get(ADMIN_PATHS.metrics, async (_request, reply) => {
        reply.header("content-type", metrics.registry.contentType);
        return metrics.registry.metrics();
    });
    admin.get(ADMIN_PATHS.liveness, async () => ({ status: "ok" }));
    admin.get(ADMIN_PATHS.readiness, async (_request, reply) => {
        if (draining) {
            return reply.code(503).send({ status: "shutting down" });
        }
        const failures: Record<string, string> = {};
        await Promise.all(
            Object.entries(options.readinessChecks).map(async ([name, check]) => {
                try {
                    await check();
                    answeredOnce.add(name);
                } catch (error) {
                    failures[name] = (error as Error).message;
                }
            }),
        );
        // Not ready until each dependency has answered once: a new pod that cannot reach its database
        // (wrong credentials, a broken release) holds its rollout and the old pods keep serving. After
        // that, an outage of a dependency every replica shares does not take this pod out: it answers
        // its own 503 for what needs it (see the error handler) and serves what does not.
        const blocking = Object.keys(failures).filter((name) => !answeredOnce.has(name));
        if (blocking.length > 0) {
            return reply.code(503).send({ status: "not ready", failures });
        }
        return Object.keys(failures).length > 0 ? { status: "degraded", failures } : { status: "ready" };
    });

    app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
        if ("validation" in error && error.validation) {
            return reply.code(400).send({ error: error.message });
        }
        if (isDependencyUnavailable(error)) {
            request.log.warn({ err: error }, "a dependency is unreachable; answered 503");
            return reply
                .code(503)
                .header("retry-after", String(DEPENDENCY_RETRY_AFTER_SECONDS))
                .send({ error: "temporarily unavailable: a database or cache this request needs cannot be reached; retry shortly" });
        }
        const status = error.statusCode ?? 500;
        if (status >= 500) {
            request.log.error({ err: error }, "request failed");
            return reply.code(status).send({ error: status === 500 ? "internal error" : error.message });
        }
        return reply.code(status).send({ error: error.message });
    });
    app.setNotFoundHandler((request, reply) => reply.code(404).send(noRoute(request)));
    return { app, admin, adminRoutes, log, metrics };
}

const pathOf = (url: string) => url.split("?")[0];
/** The public listener's 404, for a path with no route and for an admin path alike. */
const noRoute = (request: FastifyRequest) => ({ error: `no route for ${request.method} ${pathOf(request.url)}` });

export interface RunOptions {
    port: number;
    /** Where /metrics, /health and /ready are served. */
    adminPort: number;
    shutdownDelayMs: number;
    shutdownTimeoutMs: number;
    /** Pools and clients to close after the last request finished, in order. */
    closers: Array<() => Promise<unknown>>;
}

/** Listens on 0.0.0.0 (public and admin ports) and wires SIGTERM/SIGINT to a graceful shutdown. */
export async function run(service: Service, options: RunOptions): Promise<void> {
    const { app, admin, adminRoutes, log } = service;
    if (options.adminPort === options.port) {
        // A user mistake in the environment: one line, no stack trace.
        log.fatal(`ADMIN_PORT=${options.adminPort} must differ from PORT=${options.port}: metrics and probes would be on the public port`);
        process.exit(1);
    }
    let stopping = false;
    const shutdown = async (signal: string) => {
        if (stopping) {
            return;
        }
        stopping = true;
        log.info({ signal, delayMs: options.shutdownDelayMs }, "shutting down: readiness now fails");
        (app as unknown as { startDraining: () => void }).startDraining();
        const deadline = setTimeout(() => {
            log.error({ timeoutMs: options.shutdownTimeoutMs }, "in-flight requests did not finish in time; exiting");
            process.exit(1);
        }, options.shutdownDelayMs + options.shutdownTimeoutMs);
        deadline.unref();
        // Endpoints are removed asynchronously after SIGTERM; keep serving until callers stop sending.
        await new Promise((resolve) => setTimeout(resolve, options.shutdownDelayMs));
        await app.close(); // stops accepting, waits for in-flight requests
        await admin.close(); // probes answer until the API has drained
        log.info("server closed; closing pools");
        for (const close of options.closers) {
            await close().catch((error: Error) => log.warn({ err: error }, "closing a client failed"));
        }
        log.info("stopped");
        process.exit(0);
    };
    process.on("SIGTERM", () => void shutdown("SIGTERM"));
    process.on("SIGINT", () => void shutdown("SIGINT"));
    // The public listener first: /ready (on the admin one) must not pass before the API accepts connections.
    await app.listen({ host: "0.0.0.0", port: options.port });
    await admin.listen({ host: "0.0.0.0", port: options.adminPort });
    log.info(
        { port: options.port, adminPort: options.adminPort, adminRoutes },
        "serving the API and, on the admin port, its metrics and probes",
    );
}
