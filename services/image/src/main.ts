// image's entry point: config, pool, routes, then serve until SIGTERM.
import { createPool, createService, loadConfig, remoteTokenVerifier, run } from "@blog/shared";
import { IMAGE_VARS } from "./config.js";
import { imageRoutes } from "./routes.js";

const cfg = loadConfig("image", IMAGE_VARS);
const readiness: Record<string, () => Promise<unknown>> = {};
const service = createService({
    name: "image",
    logLevel: cfg.LOG_LEVEL,
    trustedProxyHops: cfg.TRUSTED_PROXY_HOPS,
    readinessChecks: readiness,
});
const pool = createPool(cfg, service.log);
readiness.postgres = () => pool.query("SELECT 1");

await imageRoutes(service.app, {
    pool,
    verifyToken: remoteTokenVerifier(cfg.AUTH_SERVICE_URL),
    apiKey: cfg.API_KEY,
    maxUploadBytes: cfg.MAX_UPLOAD_BYTES,
    maxInputPixels: cfg.MAX_INPUT_PIXELS,
    thumbnailWidth: cfg.THUMBNAIL_WIDTH,
});
await run(service, {
    port: cfg.PORT,
    adminPort: cfg.ADMIN_PORT,
    shutdownDelayMs: cfg.SHUTDOWN_DELAY_MS,
    shutdownTimeoutMs: cfg.SHUTDOWN_TIMEOUT_MS,
    closers: [() => pool.end()],
});
