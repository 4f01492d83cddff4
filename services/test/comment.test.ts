// comment with blog behind it: comments on posts, and what happens when blog fails (retries, circuit breaker).
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { startStack, type Stack } from "./lib/stack";
import { startService, type RunningService } from "./lib/service";
import { databaseEnv } from "./lib/env";
import { call, closeDb, count, registeredUser } from "./lib/http";
import { sample } from "./lib/metrics";

describe("comment", () => {
    let stack: Stack;
    let user: Awaited<ReturnType<typeof registeredUser>>;
    let postId: number;
    before(async () => {
        stack = await startStack();
        user = await registeredUser(stack.auth.url);
        postId = (await call("POST", `${stack.blog.url}/`, { token: user.token, body: { title: "Commented", body: "x" } })).body.id;
    });
    after(async () => {
        await stack?.stop();
        await closeDb();
    });

    it("adds comments to an existing post and lists them in order", async () => {
        for (const body of ["first", "second"]) {
            const created = await call("POST", `${stack.comment.url}/`, { token: user.token, body: { postId, body } });
            assert.equal(created.status, 201);
            assert.equal(created.body.author.username, user.username);
        }
        const listed = await call("GET", `${stack.comment.url}/?postId=${postId}`);
        assert.deepEqual(
            listed.body.comments.map((c: { body: string }) => c.body),
            ["first", "second"],
        );
    });

    it("answers 404 for a post blog does not know, without retrying, and writes nothing", async () => {
        const before = await count("comments");
        const response = await call("POST", `${stack.comment.url}/`, { token: user.token, body: { postId: 424242, body: "lost" } });
        assert.equal(response.status, 404);
        assert.match(response.body.error, /body\.postId 424242: no such post/);
        assert.equal(await count("comments"), before);
    });

    it("rejects bad input and missing tokens naming the field, writing nothing", async () => {
        const before = await count("comments");
        const empty = await call("POST", `${stack.comment.url}/`, { token: user.token, body: { postId, body: "" } });
        assert.equal(empty.status, 400);
        assert.match(empty.body.error, /body\.body must NOT have fewer than 1 characters/);
        const noPost = await call("GET", `${stack.comment.url}/`);
        assert.equal(noPost.status, 400);
        assert.match(noPost.body.error, /querystring\.postId must have required property/);
        assert.equal((await call("POST", `${stack.comment.url}/`, { body: { postId, body: "anon" } })).status, 401);
        assert.equal(await count("comments"), before);
    });

    describe("when blog fails", () => {
        let failingBlog: Server;
        let hits = 0;
        let healthy = false;
        let comment: RunningService;
        before(async () => {
            // A stand-in for a broken blog: counts calls and answers 503 until told to recover.
            failingBlog = createServer((_request, response) => {
                hits++;
                response.writeHead(healthy ? 200 : 503, { "content-type": "application/json" });
                response.end(healthy ? JSON.stringify({ id: 1 }) : '{"error":"down"}');
            });
            await new Promise<void>((resolve) => failingBlog.listen(0, "127.0.0.1", resolve));
            const port = (failingBlog.address() as { port: number }).port;
            comment = await startService("comment", {
                ...databaseEnv,
                AUTH_SERVICE_URL: stack.auth.url,
                BLOG_SERVICE_URL: `http://127.0.0.1:${port}`,
                BLOG_RETRIES: "2",
                BLOG_RETRY_BASE_MS: "20",
                BREAKER_MIN_CALLS: "4",
                BREAKER_ERROR_PERCENT: "50",
                BREAKER_RESET_MS: "1500",
            });
        });
        after(async () => {
            await comment?.stop();
            failingBlog?.close();
        });

        it("retries with backoff, then opens the circuit and fails fast without calling blog", async () => {
            const before = await count("comments");
            const first = await call("POST", `${comment.url}/`, { token: user.token, body: { postId, body: "x" } });
            assert.equal(first.status, 503);
            assert.match(first.body.error, /blog service unavailable/);
            assert.equal(hits, 3, "one call and two retries");
            // The fourth failed call fills the breaker's minimum volume and opens it.
            await call("POST", `${comment.url}/`, { token: user.token, body: { postId, body: "x" } });
            const hitsWhenOpen = hits;
            const started = Date.now();
            const fast = await call("POST", `${comment.url}/`, { token: user.token, body: { postId, body: "x" } });
            assert.equal(fast.status, 503);
            assert.match(fast.body.error, /circuit open/);
            assert.equal(hits, hitsWhenOpen, "an open circuit does not call blog");
            assert.ok(Date.now() - started < 500, "an open circuit answers at once");
            const metrics = await (await fetch(`${comment.adminUrl}/metrics`)).text();
            assert.equal(sample(metrics, "circuit_breaker_open", 'dependency="blog"'), 1);
            assert.ok((sample(metrics, "dependency_retries_total", 'dependency="blog"') ?? 0) >= 2);
            assert.equal(await count("comments"), before, "nothing written while blog is down");
        });

        it("closes the circuit again after blog recovers and the reset time passed", async () => {
            healthy = true;
            await new Promise((resolve) => setTimeout(resolve, 1700));
            const response = await call("POST", `${comment.url}/`, { token: user.token, body: { postId, body: "back" } });
            assert.equal(response.status, 201);
            const metrics = await (await fetch(`${comment.adminUrl}/metrics`)).text();
            assert.equal(sample(metrics, "circuit_breaker_open", 'dependency="blog"'), 0);
        });
    });
});
