// blog's configuration, from the environment only.
import { DATABASE_VARS, REDIS_VARS, SERVER_VARS, integer, text, url } from "@blog/shared";

export const BLOG_VARS = {
    ...SERVER_VARS,
    ...DATABASE_VARS,
    ...REDIS_VARS,
    AUTH_SERVICE_URL: url("auth's base URL, for its JWKS (e.g. http://auth:8080)"),
    IMAGE_SERVICE_URL: url("image's base URL, to check a post's image exists (e.g. http://image:8080)"),
    IMAGE_SERVICE_API_KEY: text("API key for image's internal endpoints", { secret: true, minLength: 16 }),
    CACHE_TTL_SECONDS: integer("how long a cached read lives in Redis", { default: 300, min: 1, max: 86400 }),
};
