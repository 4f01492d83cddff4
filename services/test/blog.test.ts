// blog with auth, image, PostgreSQL and Redis: CRUD, pagination, the cache and its invalidation, ownership.
import assert from "node:assert/strict";
import { startStack, type Stack } from "./lib/stack";
import { call, closeDb, count, query, registeredUser } from "./lib/http";

describe("blog", () => {
    let stack: Stack;
    let alice: Awaited<ReturnType<typeof registeredUser>>;
    let bob: Awaited<ReturnType<typeof registeredUser>>;
    before(async () => {
        stack = await startStack();
        alice = await registeredUser(stack.auth.url);
        bob = await registeredUser(stack.auth.url);
    });
    after(async () => {
        await stack?.stop();
        await closeDb();
    });

    it("creates a post as the token's user and reads it back, the second read from Redis", async () => {
        const created = await call("POST", `${stack.blog.url}/`, { token: alice.token, body: { title: "Hello", body: "First post" } });
        assert.equal(created.status, 201);
        assert.deepEqual(created.body.author, { id: alice.id, username: alice.username });
        const first = await call("GET", `${stack.blog.url}/${created.body.id}`);
        const second = await call("GET", `${stack.blog.url}/${created.body.id}`);
        assert.equal(first.status, 200);
        assert.equal(first.body.title, "Hello");
        assert.equal(first.headers.get("x-cache"), "miss");
        assert.equal(second.headers.get("x-cache"), "hit");
        assert.deepEqual(second.body, first.body);
    });

    it("lists posts newest first, paginated, and a write invalidates the cached pages", async () => {
        for (const title of ["p1", "p2", "p3"]) {
            await call("POST", `${stack.blog.url}/`, { token: alice.token, body: { title, body: "text" } });
        }
        const page1 = await call("GET", `${stack.blog.url}/?page=1&limit=2`);
        assert.equal(page1.status, 200);
        assert.deepEqual(
            page1.body.posts.map((p: { title: string }) => p.title),
            ["p3", "p2"],
        );
        const page2 = await call("GET", `${stack.blog.url}/?page=2&limit=2`);
        assert.equal(page2.body.posts[0].title, "p1");
        assert.equal((await call("GET", `${stack.blog.url}/?page=1&limit=2`)).headers.get("x-cache"), "hit");
        await call("POST", `${stack.blog.url}/`, { token: alice.token, body: { title: "p4", body: "text" } });
        const after = await call("GET", `${stack.blog.url}/?page=1&limit=2`);
        assert.equal(after.headers.get("x-cache"), "miss");
        assert.equal(after.body.posts[0].title, "p4");
        assert.equal(after.body.total, page1.body.total + 1);
    });

    it("lets only the author update or delete, and an update is visible at once despite the cache", async () => {
        const post = (await call("POST", `${stack.blog.url}/`, { token: alice.token, body: { title: "Mine", body: "x" } })).body;
        await call("GET", `${stack.blog.url}/${post.id}`); // cache it
        const byBob = await call("PUT", `${stack.blog.url}/${post.id}`, { token: bob.token, body: { title: "Stolen" } });
        assert.equal(byBob.status, 403);
        assert.equal((await call("DELETE", `${stack.blog.url}/${post.id}`, { token: bob.token })).status, 403);
        const updated = await call("PUT", `${stack.blog.url}/${post.id}`, { token: alice.token, body: { title: "Renamed" } });
        assert.equal(updated.status, 200);
        assert.equal((await call("GET", `${stack.blog.url}/${post.id}`)).body.title, "Renamed");
        assert.equal((await call("DELETE", `${stack.blog.url}/${post.id}`, { token: alice.token })).status, 204);
        assert.equal((await call("GET", `${stack.blog.url}/${post.id}`)).status, 404);
    });

    it("answers 401 without a token or with a token not signed by auth, and writes nothing", async () => {
        const before = await count("posts");
        assert.equal((await call("POST", `${stack.blog.url}/`, { body: { title: "t", body: "b" } })).status, 401);
        const part = (json: string) => Buffer.from(json).toString("base64url");
        const fake = `${part('{"alg":"EdDSA"}')}.${part(`{"sub":"${alice.id}","name":"x"}`)}.AAAA`;
        const forged = await call("POST", `${stack.blog.url}/`, { token: fake, body: { title: "t", body: "b" } });
        assert.equal(forged.status, 401);
        assert.match(forged.body.error, /authorization: invalid token/);
        assert.equal(await count("posts"), before);
    });

    for (const [what, body, message] of [
        ["an empty title", { title: "", body: "b" }, /body\.title must NOT have fewer than 1 characters/],
        ["a missing body", { title: "t" }, /body\.body must have required property 'body'/],
        ["a non-numeric imageId", { title: "t", body: "b", imageId: "cat" }, /body\.imageId must be integer,null \(got "cat"\)/],
        [
            "an imageId that was never uploaded",
            { title: "t", body: "b", imageId: 999999 },
            /body\.imageId 999999 does not name an uploaded image/,
        ],
    ] as const) {
        it(`rejects ${what} with a 4xx naming the field, and writes nothing`, async () => {
            const before = await count("posts");
            const response = await call("POST", `${stack.blog.url}/`, { token: alice.token, body });
            assert.equal(response.status, 400);
            assert.match(response.body.error, message);
            assert.equal(await count("posts"), before);
        });
    }

    it("answers 400 for a bad page number and 404 for a missing post", async () => {
        const bad = await call("GET", `${stack.blog.url}/?page=0`);
        assert.equal(bad.status, 400);
        assert.match(bad.body.error, /querystring\.page must be >= 1/);
        const missing = await call("GET", `${stack.blog.url}/987654`);
        assert.equal(missing.status, 404);
        assert.match(missing.body.error, /post 987654 does not exist/);
    });

    it("still serves reads from PostgreSQL when it cannot reach Redis", async () => {
        const { startService } = await import("./lib/service");
        const { databaseEnv, secrets } = await import("./lib/env");
        const noRedis = await startService("blog", {
            ...databaseEnv,
            REDIS_HOST: "127.0.0.1",
            REDIS_PORT: "1",
            REDIS_PASSWORD: "unused",
            AUTH_SERVICE_URL: stack.auth.url,
            IMAGE_SERVICE_URL: stack.image.url,
            IMAGE_SERVICE_API_KEY: secrets.imageApiKey,
        });
        try {
            const rows = await query("SELECT id, title FROM posts ORDER BY id LIMIT 1");
            const response = await call("GET", `${noRedis.url}/${rows[0].id}`);
            assert.equal(response.status, 200);
            assert.equal(response.body.title, rows[0].title);
            assert.equal((await call("GET", `${noRedis.adminUrl}/ready`)).status, 200);
        } finally {
            await noRedis.stop();
        }
    });
});
