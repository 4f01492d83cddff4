// blog's API: paginated list, read, create, update, delete. The author comes from the JWT; only the
// author may change or delete a post.
import { HttpError, inTransaction, type FastifyInstance, type Pool, type TokenVerifier } from "@blog/shared";
import type { PostCache } from "./cache.js";
import type { ImageMeta } from "./image-client.js";

const postFields = {
    title: { type: "string", minLength: 1, maxLength: 200 },
    body: { type: "string", minLength: 1, maxLength: 50000 },
    imageId: { type: ["integer", "null"], minimum: 1 },
} as const;
const idParam = { type: "object", required: ["id"], properties: { id: { type: "integer", minimum: 1 } } } as const;

interface PostInput {
    title: string;
    body: string;
    imageId?: number | null;
}
type Row = Record<string, unknown>;

export function toPost(row: Row) {
    return {
        id: Number(row.id),
        title: row.title,
        body: row.body,
        imageId: row.image_id === null ? null : Number(row.image_id),
        author: { id: Number(row.author_id), username: row.author_name },
        createdAt: row.created_at,
        updatedAt: row.updated_at,
    };
}

export interface BlogDeps {
    pool: Pool;
    cache: PostCache;
    verifyToken: TokenVerifier;
    findImage: (id: number) => Promise<ImageMeta | undefined>;
}

export async function blogRoutes(app: FastifyInstance, deps: BlogDeps): Promise<void> {
    const { pool, cache, verifyToken } = deps;

    const checkImage = async (imageId: number | null | undefined, userId: number) => {
        if (imageId === undefined || imageId === null) {
            return;
        }
        const image = await deps.findImage(imageId);
        if (!image) {
            throw new HttpError(400, `body.imageId ${imageId} does not name an uploaded image; upload it first via POST /api/images/`);
        }
        if (image.ownerId !== userId) {
            throw new HttpError(403, `body.imageId ${imageId} belongs to another user`);
        }
    };

    app.get<{ Querystring: { page: number; limit: number } }>(
        "/",
        {
            schema: {
                querystring: {
                    type: "object",
                    additionalProperties: false,
                    properties: {
                        page: { type: "integer", minimum: 1, maximum: 100000, default: 1 },
                        limit: { type: "integer", minimum: 1, maximum: 100, default: 20 },
                    },
                },
            },
        },
        async (request, reply) => {
            const { page, limit } = request.query;
            const { value, hit } = await cache.read(
                () => cache.listKey(page, limit),
                async () => {
                    const [rows, count] = await Promise.all([
                        pool.query("SELECT * FROM posts ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2", [limit, (page - 1) * limit]),
                        pool.query("SELECT count(*)::int AS total FROM posts"),
                    ]);
                    return { posts: rows.rows.map(toPost), page, limit, total: count.rows[0].total as number };
                },
            );
            reply.header("x-cache", hit ? "hit" : "miss");
            return value;
        },
    );

    app.get<{ Params: { id: number } }>("/:id", { schema: { params: idParam } }, async (request, reply) => {
        const { id } = request.params;
        const { value, hit } = await cache.read(
            () => cache.postKey(id),
            async () => {
                const result = await pool.query("SELECT * FROM posts WHERE id = $1", [id]);
                return result.rows[0] ? toPost(result.rows[0]) : null;
            },
        );
        if (!value) {
            throw new HttpError(404, `post ${id} does not exist`);
        }
        reply.header("x-cache", hit ? "hit" : "miss");
        return value;
    });

    app.post<{ Body: PostInput }>(
        "/",
        {
            schema: { body: { type: "object", required: ["title", "body"], additionalProperties: false, properties: postFields } },
        },
        async (request, reply) => {
            const user = await verifyToken(request);
            const { title, body, imageId } = request.body;
            await checkImage(imageId, user.id);
            const result = await pool.query(
                "INSERT INTO posts (author_id, author_name, title, body, image_id) VALUES ($1, $2, $3, $4, $5) RETURNING *",
                [user.id, user.username, title, body, imageId ?? null],
            );
            const post = toPost(result.rows[0]);
            await cache.invalidate(post.id);
            return reply.code(201).send(post);
        },
    );

    app.put<{ Params: { id: number }; Body: Partial<PostInput> }>(
        "/:id",
        {
            schema: { params: idParam, body: { type: "object", minProperties: 1, additionalProperties: false, properties: postFields } },
        },
        async (request) => {
            const user = await verifyToken(request);
            const { id } = request.params;
            await checkImage(request.body.imageId, user.id);
            const post = await inTransaction(pool, async (client) => {
                const current = await client.query("SELECT author_id FROM posts WHERE id = $1 FOR UPDATE", [id]);
                if (!current.rows[0]) {
                    throw new HttpError(404, `post ${id} does not exist`);
                }
                if (Number(current.rows[0].author_id) !== user.id) {
                    throw new HttpError(403, `post ${id} belongs to another user`);
                }
                const { title, body, imageId } = request.body;
                const updated = await client.query(
                    `UPDATE posts SET title = COALESCE($2, title), body = COALESCE($3, body),
                   image_id = CASE WHEN $4::boolean THEN $5 ELSE image_id END, updated_at = now()
                 WHERE id = $1 RETURNING *`,
                    [id, title ?? null, body ?? null, imageId !== undefined, imageId ?? null],
                );
                return toPost(updated.rows[0]);
            });
            await cache.invalidate(id);
            return post;
        },
    );

    app.delete<{ Params: { id: number } }>("/:id", { schema: { params: idParam } }, async (request, reply) => {
        const user = await verifyToken(request);
        const { id } = request.params;
        const result = await pool.query("DELETE FROM posts WHERE id = $1 AND author_id = $2 RETURNING id", [id, user.id]);
        if (result.rowCount === 0) {
            const exists = await pool.query("SELECT 1 FROM posts WHERE id = $1", [id]);
            throw exists.rowCount
                ? new HttpError(403, `post ${id} belongs to another user`)
                : new HttpError(404, `post ${id} does not exist`);
        }
        await cache.invalidate(id);
        return reply.code(204).send();
    });
}
