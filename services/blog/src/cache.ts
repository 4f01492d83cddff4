// Read-through cache for posts in Redis. A write bumps a generation counter that is part of every list
// key, so all cached pages go stale at once without scanning keys. Redis failures fall back to the database.
import type { Logger, Redis } from "@blog/shared";

export class PostCache {
    constructor(
        private readonly redis: Redis,
        private readonly ttlSeconds: number,
        private readonly log: Logger,
    ) {}

    async read<T>(key: () => Promise<string>, load: () => Promise<T>): Promise<{ value: T; hit: boolean }> {
        let cacheKey: string | undefined;
        try {
            cacheKey = await key();
            const cached = await this.redis.get(cacheKey);
            if (cached !== null) {
                return { value: JSON.parse(cached) as T, hit: true };
            }
        } catch (error) {
            this.log.warn({ err: error }, "cache read failed; reading from PostgreSQL");
        }
        const value = await load();
        if (cacheKey !== undefined && value !== undefined && value !== null) {
            await this.redis.set(cacheKey, JSON.stringify(value), "EX", this.ttlSeconds).catch(() => undefined);
        }
        return { value, hit: false };
    }

    postKey(id: number): Promise<string> {
        return Promise.resolve(`blog:post:${id}`);
    }

    async listKey(page: number, limit: number): Promise<string> {
        const generation = (await this.redis.get("blog:list-generation")) ?? "0";
        return `blog:list:${generation}:${page}:${limit}`;
    }

    /** Called after a committed write. */
    async invalidate(id: number): Promise<void> {
        try {
            await this.redis.multi().del(`blog:post:${id}`).incr("blog:list-generation").exec();
        } catch (error) {
            // The TTL bounds how long a stale read can live if Redis missed the invalidation.
            this.log.warn({ err: error, post: id }, "cache invalidation failed");
        }
    }
}
