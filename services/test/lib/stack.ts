// The four backends wired as the platform wires them (env names from contracts.md), on loopback.
import { databaseEnv, redisEnv, secrets } from "./env";
import { runScript, startService, type RunningService, type ServiceName } from "./service";

export interface Stack {
    auth: RunningService;
    image: RunningService;
    blog: RunningService;
    comment: RunningService;
    stop(): Promise<void>;
}

// The services that own tables, from the platform's workload catalogue.
const { MIGRATING_SERVICES } = require("../../../components/shared/topology") as typeof import("../../../components/shared/topology");

export const authEnv = (overrides: Record<string, string> = {}) => ({
    ...databaseEnv,
    ...redisEnv,
    JWT_SIGNING_KEY: secrets.jwtSigningKey,
    LOGIN_ATTEMPTS_PER_MINUTE: "1000",
    ...overrides,
});

export async function migrateAll(): Promise<void> {
    for (const name of MIGRATING_SERVICES) {
        const result = await runScript(name, "migrate.js", databaseEnv);
        if (result.code !== 0) {
            throw new Error(`${name} migration failed: ${result.stdout}${result.stderr}`);
        }
    }
}

export async function startStack(overrides: Partial<Record<ServiceName, Record<string, string>>> = {}): Promise<Stack> {
    await migrateAll();
    const auth = await startService("auth", authEnv(overrides.auth));
    const image = await startService("image", {
        ...databaseEnv,
        AUTH_SERVICE_URL: auth.url,
        API_KEY: secrets.imageApiKey,
        ...overrides.image,
    });
    const blog = await startService("blog", {
        ...databaseEnv,
        ...redisEnv,
        AUTH_SERVICE_URL: auth.url,
        IMAGE_SERVICE_URL: image.url,
        IMAGE_SERVICE_API_KEY: secrets.imageApiKey,
        ...overrides.blog,
    });
    const comment = await startService("comment", {
        ...databaseEnv,
        AUTH_SERVICE_URL: auth.url,
        BLOG_SERVICE_URL: blog.url,
        ...overrides.comment,
    });
    return {
        auth,
        image,
        blog,
        comment,
        async stop() {
            await Promise.all([comment.stop(), blog.stop(), image.stop(), auth.stop()]);
        },
    };
}
