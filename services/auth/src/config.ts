// auth's configuration, from the environment only.
import { DATABASE_VARS, REDIS_VARS, SERVER_VARS, integer, text } from "@blog/shared";

export const AUTH_VARS = {
    ...SERVER_VARS,
    ...DATABASE_VARS,
    ...REDIS_VARS,
    JWT_SIGNING_KEY: text("secret the token signing key is derived from (64 random characters)", { secret: true, minLength: 32 }),
    TOKEN_TTL_SECONDS: integer("lifetime of an access token", { default: 3600, min: 60, max: 86400 }),
    LOGIN_ATTEMPTS_PER_MINUTE: integer("login attempts allowed per client address per minute", { default: 10, min: 1, max: 100000 }),
};
