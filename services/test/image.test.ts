// image with auth and PostgreSQL: uploads, thumbnails, limits, bad input, the internal metadata endpoint.
import assert from "node:assert/strict";
import { startStack, type Stack } from "./lib/stack";
import { secrets } from "./lib/env";
import { call, closeDb, count, registeredUser } from "./lib/http";
import { noisyPng, png, sharp } from "./lib/images";

describe("image", () => {
    let stack: Stack;
    let user: Awaited<ReturnType<typeof registeredUser>>;
    before(async () => {
        stack = await startStack({ image: { MAX_UPLOAD_BYTES: "200000" } });
        user = await registeredUser(stack.auth.url);
    });
    after(async () => {
        await stack?.stop();
        await closeDb();
    });

    const upload = (body: Buffer, contentType: string, token?: string) =>
        fetch(`${stack.image.url}/`, {
            method: "POST",
            body: new Uint8Array(body),
            headers: { "content-type": contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        });

    it("stores an upload and serves the original and a 320-pixel-wide WebP thumbnail", async () => {
        const original = await png(1000, 500);
        const response = await upload(original, "image/png", user.token);
        assert.equal(response.status, 201);
        const created = await response.json();
        assert.deepEqual(
            { width: created.width, height: created.height, contentType: created.contentType },
            { width: 1000, height: 500, contentType: "image/png" },
        );
        const served = await fetch(`${stack.image.url}/${created.id}`);
        assert.equal(served.headers.get("content-type"), "image/png");
        assert.ok(Buffer.from(await served.arrayBuffer()).equals(original));
        const thumb = await fetch(`${stack.image.url}/${created.thumbnail}`);
        assert.equal(thumb.status, 200);
        assert.equal(thumb.headers.get("content-type"), "image/webp");
        const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
        assert.deepEqual({ format: meta.format, width: meta.width, height: meta.height }, { format: "webp", width: 320, height: 160 });
    });

    it("lets a post refer to the uploader's image, checked with the API key, and not to someone else's", async () => {
        const id = (await (await upload(await png(40, 40), "image/png", user.token)).json()).id;
        const post = await call("POST", `${stack.blog.url}/`, {
            token: user.token,
            body: { title: "With picture", body: "b", imageId: id },
        });
        assert.equal(post.status, 201);
        assert.equal(post.body.imageId, id);
        const other = await registeredUser(stack.auth.url);
        const theirs = await call("POST", `${stack.blog.url}/`, {
            token: other.token,
            body: { title: "Borrowed", body: "b", imageId: id },
        });
        assert.equal(theirs.status, 403);
        assert.equal((await call("GET", `${stack.image.url}/${id}/meta`)).status, 401);
        assert.equal(
            (await call("GET", `${stack.image.url}/${id}/meta`, { headers: { "x-api-key": "wrong-key-wrong-key-wrong" } })).status,
            401,
        );
        const meta = await call("GET", `${stack.image.url}/${id}/meta`, { headers: { "x-api-key": secrets.imageApiKey } });
        assert.equal(meta.status, 200);
        assert.equal(meta.body.ownerId, user.id);
    });

    it("refuses uploads without a valid token (401), writing nothing", async () => {
        const before = await count("images");
        assert.equal((await upload(await png(10, 10), "image/png")).status, 401);
        assert.equal((await upload(await png(10, 10), "image/png", "not.a.token")).status, 401);
        assert.equal(await count("images"), before);
    });

    it("answers 413 above the size limit, 415 for other types and 400 for bytes that are no image, writing nothing", async () => {
        const before = await count("images");
        const big = await noisyPng(300, 300);
        assert.ok(big.length > 200000);
        const tooBig = await upload(big, "image/png", user.token);
        assert.equal(tooBig.status, 413);
        assert.match((await tooBig.json()).error, /larger than the limit of 200000 bytes/);
        const wrongType = await upload(Buffer.from("hello"), "text/plain", user.token);
        assert.equal(wrongType.status, 415);
        assert.match((await wrongType.json()).error, /content-type: must be one of image\/jpeg, image\/png/);
        const notImage = await upload(Buffer.from("this is not a png at all"), "image/png", user.token);
        assert.equal(notImage.status, 400);
        assert.match((await notImage.json()).error, /body: not a decodable image/);
        assert.equal(await count("images"), before);
    });

    it("answers 404 for an unknown image and 400 for a bad id", async () => {
        assert.equal((await fetch(`${stack.image.url}/99999999`)).status, 404);
        const bad = await call("GET", `${stack.image.url}/abc/thumbnail`);
        assert.equal(bad.status, 400);
        assert.match(bad.body.error, /params\.id must be integer/);
    });
});
