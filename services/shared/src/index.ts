// The public API of the shared service code.
export * from "./config.js";
export * from "./db.js";
export * from "./redis.js";
export * from "./jwt.js";
export * from "./metrics.js";
export * from "./server.js";
export * from "./migrate.js";
export { pino } from "pino";
export type { Logger } from "pino";
export type { FastifyInstance, FastifyRequest, FastifyReply } from "fastify";
export * from "./migrate-main.js";
