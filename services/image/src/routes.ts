// image's API: upload (JWT, raw image body), serve original and thumbnail, and metadata for other services
// (x-api-key).
import { timingSafeEqual, createHash } from "node:crypto";
import { HttpError, type FastifyInstance, type Pool, type TokenVerifier } from "@blog/shared";
import { ACCEPTED_TYPES, processUpload } from "./process.js";

export interface ImageDeps {
    pool: Pool;
    verifyToken: TokenVerifier;
    apiKey: string;
    maxUploadBytes: number;
    maxInputPixels: number;
    thumbnailWidth: number;
}

const idParam = { type: "object", required: ["id"], properties: { id: { type: "integer", minimum: 1 } } } as const;

/** Compares digests so the comparison takes the same time whatever the key's length or content. */
function sameKey(given: string | string[] | undefined, expected: string): boolean {
    if (typeof given !== "string") {
        return false;
    }
    const digest = (value: string) => createHash("sha256").update(value).digest();
    return timingSafeEqual(digest(given), digest(expected));
}

export async function imageRoutes(app: FastifyInstance, deps: ImageDeps): Promise<void> {
    const { pool } = deps;
    // Uploads are the raw image bytes with their own Content-Type: no multipart parsing, exact size limit.
    app.addContentTypeParser([...ACCEPTED_TYPES], { parseAs: "buffer", bodyLimit: deps.maxUploadBytes }, (_request, body, done) =>
        done(null, body),
    );

    app.post(
        "/",
        {
            bodyLimit: deps.maxUploadBytes,
            errorHandler: (error, _request, reply) => {
                if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
                    return reply.code(413).send({ error: `body: upload is larger than the limit of ${deps.maxUploadBytes} bytes` });
                }
                if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE" || error.statusCode === 415) {
                    return reply.code(415).send({ error: `content-type: must be one of ${ACCEPTED_TYPES.join(", ")}` });
                }
                throw error;
            },
        },
        async (request, reply) => {
            const user = await deps.verifyToken(request);
            if (!Buffer.isBuffer(request.body)) {
                throw new HttpError(415, `content-type: must be one of ${ACCEPTED_TYPES.join(", ")}`);
            }
            if (request.body.length === 0) {
                throw new HttpError(400, `body: send the image bytes with Content-Type one of ${ACCEPTED_TYPES.join(", ")}`);
            }
            const processed = await processUpload(request.body, deps.maxInputPixels, deps.thumbnailWidth);
            const result = await pool.query(
                `INSERT INTO images (owner_id, content_type, width, height, original, thumbnail)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, created_at`,
                [user.id, processed.contentType, processed.width, processed.height, request.body, processed.thumbnail],
            );
            const id = Number(result.rows[0].id);
            return reply.code(201).send({
                id,
                contentType: processed.contentType,
                width: processed.width,
                height: processed.height,
                // Relative to this service; through the gateway they live under /api/images/.
                original: `${id}`,
                thumbnail: `${id}/thumbnail`,
            });
        },
    );

    const serve =
        (column: "original" | "thumbnail") => async (request: { params: { id: number } }, reply: import("fastify").FastifyReply) => {
            const { id } = request.params;
            const result = await pool.query(`SELECT content_type, ${column} AS data FROM images WHERE id = $1`, [id]);
            if (!result.rows[0]) {
                throw new HttpError(404, `image ${id} does not exist`);
            }
            // Images never change once uploaded, so browsers and the gateway may cache them for good.
            reply.header("cache-control", "public, max-age=31536000, immutable");
            reply.header("x-content-type-options", "nosniff");
            reply.type(column === "thumbnail" ? "image/webp" : result.rows[0].content_type);
            return reply.send(result.rows[0].data);
        };
    app.get<{ Params: { id: number } }>("/:id", { schema: { params: idParam } }, serve("original"));
    app.get<{ Params: { id: number } }>("/:id/thumbnail", { schema: { params: idParam } }, serve("thumbnail"));

    app.get<{ Params: { id: number } }>("/:id/meta", { schema: { params: idParam } }, async (request) => {
        if (!sameKey(request.headers["x-api-key"], deps.apiKey)) {
            throw new HttpError(401, "x-api-key: missing or wrong service API key");
        }
        const result = await pool.query("SELECT id, owner_id, content_type, width, height FROM images WHERE id = $1", [request.params.id]);
        const row = result.rows[0];
        if (!row) {
            throw new HttpError(404, `image ${request.params.id} does not exist`);
        }
        return { id: Number(row.id), ownerId: Number(row.owner_id), contentType: row.content_type, width: row.width, height: row.height };
    });
}
