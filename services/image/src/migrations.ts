// image's schema, one entry per released change.
import type { Migration } from "@blog/shared";

export const IMAGE_MIGRATIONS: Migration[] = [
    {
        id: "001-images",
        sql: `CREATE TABLE images (
            id bigserial PRIMARY KEY,
            owner_id bigint NOT NULL,
            content_type text NOT NULL,
            width integer NOT NULL,
            height integer NOT NULL,
            original bytea NOT NULL,
            thumbnail bytea NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now())`,
    },
];
