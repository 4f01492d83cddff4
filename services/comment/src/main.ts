// comment's entry point: config, pool, blog client, routes, then serve until SIGTERM.
import { createPool, createService, loadConfig, remoteTokenVerifier, run } from "@blog/shared";
import { COMMENT_VARS } from "./config.js";
import { blogClient } from "./blog-client.js";
import { commentRoutes } from "./routes.js";

const cfg = loadConfig("comment", COMMENT_VARS);
const readiness: Record<string, () => Promise<unknown>> = {};
const service = createService({
    name: "comment",
    logLevel: cfg.LOG_LEVEL,
    trustedProxyHops: cfg.TRUSTED_PROXY_HOPS,
    readinessChecks: readiness,
});
const pool = createPool(cfg, service.log);
// blog is not a readiness check: when it is down, reads still work and writes fail fast via the breaker.
readiness.postgres = () => pool.query("SELECT 1");

await commentRoutes(service.app, {
    pool,
    verifyToken: remoteTokenVerifier(cfg.AUTH_SERVICE_URL),
    postExists: blogClient({
        baseUrl: cfg.BLOG_SERVICE_URL,
        timeoutMs: cfg.BLOG_TIMEOUT_MS,
        retries: cfg.BLOG_RETRIES,
        retryBaseMs: cfg.BLOG_RETRY_BASE_MS,
        errorThresholdPercentage: cfg.BREAKER_ERROR_PERCENT,
        volumeThreshold: cfg.BREAKER_MIN_CALLS,
        resetTimeoutMs: cfg.BREAKER_RESET_MS,
        registry: service.metrics.registry,
        log: service.log,
    }),
});
await run(service, {
    port: cfg.PORT,
    adminPort: cfg.ADMIN_PORT,
    shutdownDelayMs: cfg.SHUTDOWN_DELAY_MS,
    shutdownTimeoutMs: cfg.SHUTDOWN_TIMEOUT_MS,
    closers: [() => pool.end()],
});
