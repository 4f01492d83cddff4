// blog's schema, one entry per released change.
import type { Migration } from "@blog/shared";

export const BLOG_MIGRATIONS: Migration[] = [
    {
        id: "001-posts",
        sql: `CREATE TABLE posts (
            id bigserial PRIMARY KEY,
            author_id bigint NOT NULL,
            author_name text NOT NULL,
            title text NOT NULL,
            body text NOT NULL,
            image_id bigint,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now());
          CREATE INDEX posts_created_at ON posts (created_at DESC, id DESC)`,
    },
];
