// auth's schema, one entry per released change.
import type { Migration } from "@blog/shared";

export const AUTH_MIGRATIONS: Migration[] = [
    {
        id: "001-users",
        sql: `CREATE TABLE users (
            id bigserial PRIMARY KEY,
            username text NOT NULL UNIQUE,
            password_hash text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now())`,
    },
];
