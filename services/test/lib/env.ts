// What scripts/test-services hands the tests: the PostgreSQL and Redis it started, and where the services are.
import { randomBytes } from "node:crypto";

function required(name: string): string {
    const value = process.env[name];
    if (!value) {
        throw new Error(`${name} is not set: run the tests through scripts/test-services, which starts PostgreSQL and Redis`);
    }
    return value;
}

export const servicesDir = required("TEST_SERVICES_DIR");
export const tmpDir = required("TEST_TMP");

export const databaseEnv = {
    DATABASE_HOST: required("TEST_DATABASE_HOST"),
    DATABASE_PORT: required("TEST_DATABASE_PORT"),
    DATABASE_NAME: required("TEST_DATABASE_NAME"),
    DATABASE_USER: required("TEST_DATABASE_USER"),
    DATABASE_PASSWORD: required("TEST_DATABASE_PASSWORD"),
};

export const redisEnv = {
    REDIS_HOST: required("TEST_REDIS_HOST"),
    REDIS_PORT: required("TEST_REDIS_PORT"),
    REDIS_PASSWORD: required("TEST_REDIS_PASSWORD"),
};

/** Per test run, as the platform's generated Secrets would be. */
export const secrets = {
    jwtSigningKey: randomBytes(48).toString("base64url").slice(0, 64),
    imageApiKey: randomBytes(30).toString("base64url").slice(0, 40),
};
