// comment's configuration, from the environment only.
import { DATABASE_VARS, SERVER_VARS, integer, url } from "@blog/shared";

export const COMMENT_VARS = {
    ...SERVER_VARS,
    ...DATABASE_VARS,
    AUTH_SERVICE_URL: url("auth's base URL, for its JWKS (e.g. http://auth:8080)"),
    BLOG_SERVICE_URL: url("blog's base URL, to check a post exists (e.g. http://blog:8080)"),
    BLOG_TIMEOUT_MS: integer("timeout of one call to blog", { default: 2000, min: 50, max: 30000 }),
    BLOG_RETRIES: integer("retries after a failed call to blog (exponential backoff)", { default: 2, min: 0, max: 10 }),
    BLOG_RETRY_BASE_MS: integer("first backoff delay; doubles per retry", { default: 100, min: 1, max: 10000 }),
    BREAKER_ERROR_PERCENT: integer("failure percentage that opens the circuit to blog", { default: 50, min: 1, max: 100 }),
    BREAKER_MIN_CALLS: integer("calls in the window before the circuit may open", { default: 5, min: 1, max: 1000 }),
    BREAKER_RESET_MS: integer("how long the circuit stays open before one trial call", { default: 10000, min: 100, max: 600000 }),
};
