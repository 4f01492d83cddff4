// auth's entry point: config, pools, routes, then serve until SIGTERM.
import { createPool, createRedis, createService, loadConfig, run } from "@blog/shared";
import { AUTH_VARS } from "./config.js";
import { deriveSigningKeys } from "./keys.js";
import { authRoutes } from "./routes.js";

const cfg = loadConfig("auth", AUTH_VARS);
const readiness: Record<string, () => Promise<unknown>> = {};
const service = createService({
    name: "auth",
    logLevel: cfg.LOG_LEVEL,
    trustedProxyHops: cfg.TRUSTED_PROXY_HOPS,
    readinessChecks: readiness,
});
const pool = createPool(cfg, service.log);
const redis = createRedis(cfg, service.log);
readiness.postgres = () => pool.query("SELECT 1");
readiness.redis = () => redis.ping();

await authRoutes(service.app, {
    pool,
    redis,
    keys: await deriveSigningKeys(cfg.JWT_SIGNING_KEY),
    tokenTtlSeconds: cfg.TOKEN_TTL_SECONDS,
    loginAttemptsPerMinute: cfg.LOGIN_ATTEMPTS_PER_MINUTE,
});
await run(service, {
    port: cfg.PORT,
    adminPort: cfg.ADMIN_PORT,
    shutdownDelayMs: cfg.SHUTDOWN_DELAY_MS,
    shutdownTimeoutMs: cfg.SHUTDOWN_TIMEOUT_MS,
    closers: [() => pool.end(), () => redis.quit()],
});
