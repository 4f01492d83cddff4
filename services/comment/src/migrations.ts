// comment's schema, one entry per released change.
import type { Migration } from "@blog/shared";

export const COMMENT_MIGRATIONS: Migration[] = [
    {
        id: "001-comments",
        // No foreign key to posts: blog owns that table and may live in another database.
        sql: `CREATE TABLE comments (
            id bigserial PRIMARY KEY,
            post_id bigint NOT NULL,
            author_id bigint NOT NULL,
            author_name text NOT NULL,
            body text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now());
          CREATE INDEX comments_post_id ON comments (post_id, created_at)`,
    },
];
