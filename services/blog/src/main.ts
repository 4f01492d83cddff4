// blog's entry point: config, pools, routes, then serve until SIGTERM.
import { createPool, createRedis, createService, loadConfig, remoteTokenVerifier, run } from "@blog/shared";
import { BLOG_VARS } from "./config.js";
import { PostCache } from "./cache.js";
import { imageClient } from "./image-client.js";
import { blogRoutes } from "./routes.js";

const cfg = loadConfig("blog", BLOG_VARS);
const readiness: Record<string, () => Promise<unknown>> = {};
const service = createService({
    name: "blog",
    logLevel: cfg.LOG_LEVEL,
    trustedProxyHops: cfg.TRUSTED_PROXY_HOPS,
    readinessChecks: readiness,
});
const pool = createPool(cfg, service.log);
const redis = createRedis(cfg, service.log);
// Only PostgreSQL gates readiness: without Redis, reads fall back to the database.
readiness.postgres = () => pool.query("SELECT 1");

await blogRoutes(service.app, {
    pool,
    cache: new PostCache(redis, cfg.CACHE_TTL_SECONDS, service.log),
    verifyToken: remoteTokenVerifier(cfg.AUTH_SERVICE_URL),
    findImage: imageClient(cfg.IMAGE_SERVICE_URL, cfg.IMAGE_SERVICE_API_KEY),
});
await run(service, {
    port: cfg.PORT,
    adminPort: cfg.ADMIN_PORT,
    shutdownDelayMs: cfg.SHUTDOWN_DELAY_MS,
    shutdownTimeoutMs: cfg.SHUTDOWN_TIMEOUT_MS,
    closers: [() => pool.end(), () => redis.quit()],
});
