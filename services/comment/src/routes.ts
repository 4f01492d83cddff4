// comment's API: list a post's comments, add one (after blog confirms the post exists), delete your own.
import { HttpError, type FastifyInstance, type Pool, type TokenVerifier } from "@blog/shared";

type Row = Record<string, unknown>;
const toComment = (row: Row) => ({
    id: Number(row.id),
    postId: Number(row.post_id),
    body: row.body,
    author: { id: Number(row.author_id), username: row.author_name },
    createdAt: row.created_at,
});

export interface CommentDeps {
    pool: Pool;
    verifyToken: TokenVerifier;
    postExists: (postId: number) => Promise<boolean>;
}

export async function commentRoutes(app: FastifyInstance, deps: CommentDeps): Promise<void> {
    const { pool, verifyToken } = deps;

    app.get<{ Querystring: { postId: number; limit: number } }>(
        "/",
        {
            schema: {
                querystring: {
                    type: "object",
                    required: ["postId"],
                    additionalProperties: false,
                    properties: {
                        postId: { type: "integer", minimum: 1 },
                        limit: { type: "integer", minimum: 1, maximum: 200, default: 100 },
                    },
                },
            },
        },
        async (request) => {
            const { postId, limit } = request.query;
            const result = await pool.query("SELECT * FROM comments WHERE post_id = $1 ORDER BY created_at, id LIMIT $2", [postId, limit]);
            return { comments: result.rows.map(toComment) };
        },
    );

    app.post<{ Body: { postId: number; body: string } }>(
        "/",
        {
            schema: {
                body: {
                    type: "object",
                    required: ["postId", "body"],
                    additionalProperties: false,
                    properties: {
                        postId: { type: "integer", minimum: 1 },
                        body: { type: "string", minLength: 1, maxLength: 5000 },
                    },
                },
            },
        },
        async (request, reply) => {
            const user = await verifyToken(request);
            const { postId, body } = request.body;
            if (!(await deps.postExists(postId))) {
                throw new HttpError(404, `body.postId ${postId}: no such post`);
            }
            const result = await pool.query(
                "INSERT INTO comments (post_id, author_id, author_name, body) VALUES ($1, $2, $3, $4) RETURNING *",
                [postId, user.id, user.username, body],
            );
            return reply.code(201).send(toComment(result.rows[0]));
        },
    );

    app.delete<{ Params: { id: number } }>(
        "/:id",
        {
            schema: { params: { type: "object", required: ["id"], properties: { id: { type: "integer", minimum: 1 } } } },
        },
        async (request, reply) => {
            const user = await verifyToken(request);
            const { id } = request.params;
            const result = await pool.query("DELETE FROM comments WHERE id = $1 AND author_id = $2", [id, user.id]);
            if (result.rowCount === 0) {
                const exists = await pool.query("SELECT 1 FROM comments WHERE id = $1", [id]);
                throw exists.rowCount
                    ? new HttpError(403, `comment ${id} belongs to another user`)
                    : new HttpError(404, `comment ${id} does not exist`);
            }
            return reply.code(204).send();
        },
    );
}
