// image's configuration, from the environment only.
import { DATABASE_VARS, SERVER_VARS, integer, text, url } from "@blog/shared";

export const IMAGE_VARS = {
    ...SERVER_VARS,
    ...DATABASE_VARS,
    AUTH_SERVICE_URL: url("auth's base URL, for its JWKS (e.g. http://auth:8080)"),
    API_KEY: text("key other services present in x-api-key for internal endpoints (40 random characters)", { secret: true, minLength: 16 }),
    // Matches the gateway's default client_max_body_size (1m); raise both together.
    MAX_UPLOAD_BYTES: integer("largest accepted upload", { default: 1048576, min: 1024, max: 52428800 }),
    MAX_INPUT_PIXELS: integer("largest decoded image (width x height), against decompression bombs", {
        default: 40000000,
        min: 1,
        max: 268402689,
    }),
    THUMBNAIL_WIDTH: integer("thumbnail width in pixels", { default: 320, min: 16, max: 2048 }),
};
