// The Redis client: fails commands fast while disconnected instead of queueing them, so a cache outage
// degrades to database reads rather than hanging requests.
import { Redis } from "ioredis";
import type { Logger } from "pino";

export interface RedisSettings {
    REDIS_HOST: string;
    REDIS_PORT: number;
    REDIS_PASSWORD: string;
}

export function createRedis(settings: RedisSettings, log: Logger): Redis {
    const redis = new Redis({
        host: settings.REDIS_HOST,
        port: settings.REDIS_PORT,
        password: settings.REDIS_PASSWORD,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: 3000,
        commandTimeout: 1000,
        lazyConnect: false,
    });
    redis.on("error", (error) => log.warn({ err: error }, "Redis connection error"));
    return redis;
}

export type { Redis };
