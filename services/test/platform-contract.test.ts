// What the platform relies on for every backend: probes, the reference's metric series, JSON logs,
// idempotent migrations under a lock, and a SIGTERM that drops no in-flight request.
import assert from "node:assert/strict";
import { startStack, authEnv, type Stack } from "./lib/stack";
import { runScript, startService } from "./lib/service";
import { databaseEnv } from "./lib/env";
import { call, closeDb, query, registeredUser } from "./lib/http";
import { sample } from "./lib/metrics";
import { startTcpProxy } from "./lib/tcp-proxy";

// The platform's statement of what a service serves on its admin port (the pods' probes and scrape config
// are built from it); the services must serve exactly that.
const { ADMIN_PATHS, BACKEND_SERVICES, MIGRATING_SERVICES } =
    require("../../components/shared/topology") as typeof import("../../components/shared/topology");
const PLATFORM_ADMIN_PATHS: readonly string[] = Object.values(ADMIN_PATHS);

describe("platform contract", () => {
    let stack: Stack;
    before(async () => {
        stack = await startStack();
    });
    after(async () => {
        await stack?.stop();
        await closeDb();
    });

    it("reruns every migration safely, even concurrently, recording each once", async () => {
        const runs = await Promise.all(
            [...MIGRATING_SERVICES, ...MIGRATING_SERVICES.slice(0, 2)].map((name) => runScript(name, "migrate.js", databaseEnv)),
        );
        for (const run of runs) {
            assert.equal(run.code, 0, run.stdout + run.stderr);
        }
        const rows = await query("SELECT service, count(*)::int AS n FROM schema_migrations GROUP BY service ORDER BY service");
        assert.deepEqual(
            rows,
            [...MIGRATING_SERVICES].sort().map((service) => ({ service, n: 1 })),
        );
    });

    for (const name of BACKEND_SERVICES) {
        it(`${name}: the admin port serves exactly the platform's admin paths, the public port none of them`, async () => {
            const service = stack[name];
            const started = service.logs.find((entry) => Array.isArray(entry.adminRoutes));
            assert.ok(started, "the service logs what its admin port serves");
            // HEAD routes are fastify's own twins of the GETs.
            assert.deepEqual(
                [...new Set(started.adminRoutes as string[])].sort(),
                [...PLATFORM_ADMIN_PATHS].sort(),
                "a new admin endpoint belongs in ADMIN_PATHS (components/shared/topology.ts), which the public-surface test reads",
            );
            for (const path of PLATFORM_ADMIN_PATHS) {
                assert.equal((await fetch(`${service.adminUrl}${path}`)).status, 200, `admin ${path}`);
                // Not served, whatever route its name would match (blog's and image's GET /:id among them).
                const pub = await fetch(`${service.url}${path}`);
                const body = await pub.text();
                assert.equal(pub.status, 404, `public ${path} answers ${pub.status}: ${body}`);
                assert.equal(JSON.parse(body).error, `no route for GET ${path}`);
            }
        });

        it(`${name}: /metrics carries the reference's series per route of the public API`, async () => {
            const service = stack[name];
            const probe = { auth: "/me", blog: "/", comment: "/?postId=1", image: "/1/meta" }[name];
            await fetch(`${service.url}${probe}`);
            await fetch(`${service.adminUrl}/ready`);
            const metrics = await (await fetch(`${service.adminUrl}/metrics`)).text();
            assert.match(metrics, /# TYPE http_requests_total counter/);
            assert.match(metrics, /# TYPE http_request_duration_seconds histogram/);
            const endpoint = { auth: "/me", blog: "/", comment: "/", image: "/:id/meta" }[name];
            assert.ok((sample(metrics, "http_requests_total", `method="GET",endpoint="${endpoint}"`) ?? 0) >= 1, metrics.slice(0, 2000));
            assert.ok(metrics.includes(`endpoint="${endpoint}"`), `route pattern ${endpoint} labels the series`);
            // Probes and scrapes are the platform's traffic, not the API's: they are not counted.
            assert.ok(!metrics.includes('endpoint="/ready"'), "a probe is counted as API traffic");
            assert.match(metrics, /process_cpu_seconds_total/);
        });
    }

    it("refuses to start with the admin port equal to the public port, naming both", async () => {
        await assert.rejects(
            startService("auth", authEnv({ PORT: "18099", ADMIN_PORT: "18099" })),
            /ADMIN_PORT=18099 must differ from PORT=18099/,
        );
    });

    it("logs JSON lines with level, time, service and request id: a refused request at info, a fast success not", async () => {
        const refused = await fetch(`${stack.blog.url}/987654`, { headers: { "x-request-id": "trace-me-123" } });
        const served = await fetch(`${stack.blog.url}/`, { headers: { "x-request-id": "served-456" } });
        assert.deepEqual([refused.status, served.status], [404, 200]);
        await new Promise((resolve) => setTimeout(resolve, 100));
        const line = stack.blog.logs.find((entry) => entry.reqId === "trace-me-123");
        assert.ok(line, "the gateway's request id is carried into the logs");
        assert.equal(line.msg, "request refused");
        assert.equal(line.level, 30, "a 4xx is logged at info");
        assert.equal((line.res as { statusCode?: number })?.statusCode, 404);
        assert.equal((line.req as { url?: string })?.url, "/987654", "the one line has the request as well as the response");
        assert.deepEqual(
            stack.blog.logs.filter((entry) => entry.reqId === "served-456"),
            [],
            "a fast 200 is logged at debug only: the gateway's access log has it",
        );
        assert.equal(line.service, "blog");
        assert.match(String(line.time), /^\d{4}-\d\d-\d\dT/);
        assert.ok(!stack.blog.logs.some((entry) => "unparsed" in entry), "every stdout line is JSON");
    });

    it("stays Ready when PostgreSQL goes away after start: 503 with Retry-After for what needs it, serves the rest, recovers", async () => {
        const proxy = await startTcpProxy(databaseEnv.DATABASE_HOST, Number(databaseEnv.DATABASE_PORT));
        const auth = await startService("auth", authEnv({ DATABASE_HOST: "127.0.0.1", DATABASE_PORT: String(proxy.port) }));
        try {
            const user = await registeredUser(auth.url);
            assert.equal((await call("GET", `${auth.adminUrl}/ready`)).status, 200);

            await proxy.cut();
            const ready = await call("GET", `${auth.adminUrl}/ready`);
            assert.equal(ready.status, 200, "a dependency every replica shares must not take them all out of rotation");
            assert.equal((ready.body as { status: string }).status, "degraded");
            assert.ok((ready.body as { failures: Record<string, string> }).failures.postgres, JSON.stringify(ready.body));
            const login = await call("POST", `${auth.url}/login`, { body: { username: user.username, password: user.password } });
            assert.equal(login.status, 503, JSON.stringify(login.body));
            assert.equal(login.headers.get("retry-after"), "5");
            assert.match((login.body as { error: string }).error, /temporarily unavailable: a database or cache .* cannot be reached/);
            // Token checks need only the signing key: they go on working.
            assert.equal((await call("GET", `${auth.url}/me`, { token: user.token })).status, 200);

            await proxy.restore();
            const again = await call("POST", `${auth.url}/login`, { body: { username: user.username, password: user.password } });
            assert.equal(again.status, 200, JSON.stringify(again.body));
            assert.equal(((await call("GET", `${auth.adminUrl}/ready`)).body as { status: string }).status, "ready");
        } finally {
            await auth.stop();
            await proxy.close();
        }
    });

    it("is not Ready until PostgreSQL has answered once (a pod that cannot reach it holds its rollout)", async () => {
        const cut = await startService("comment", {
            ...databaseEnv,
            DATABASE_PORT: "1",
            AUTH_SERVICE_URL: stack.auth.url,
            BLOG_SERVICE_URL: stack.blog.url,
        });
        try {
            assert.equal((await fetch(`${cut.adminUrl}/health`)).status, 200, "liveness does not depend on the database");
            const ready = await fetch(`${cut.adminUrl}/ready`);
            assert.equal(ready.status, 503);
            assert.ok((await ready.json()).failures.postgres);
        } finally {
            await cut.stop();
        }
    });

    it("on SIGTERM fails readiness, finishes every in-flight request, then exits 0", async () => {
        // At debug each request logs when it arrives (at info only when it completes): the test waits for
        // those lines to know the logins are in flight.
        const auth = await startService("auth", authEnv({ SHUTDOWN_DELAY_MS: "300", LOG_LEVEL: "debug" }));
        const user = await registeredUser(auth.url);
        // Logins hash with argon2id, so a batch of them is still in flight when the signal arrives.
        const total = 24;
        let answered = 0;
        const logins = Array.from({ length: total }, (_, i) =>
            call("POST", `${auth.url}/login`, {
                body: { username: user.username, password: user.password },
                headers: { "x-forwarded-for": `10.50.0.${i}` },
            }).then(
                (response) => {
                    answered++;
                    return response.status;
                },
                (error: Error) => `failed: ${error.message}`,
            ),
        );
        const deadline = Date.now() + 10000;
        while (
            auth.logs.filter((entry) => entry.msg === "incoming request" && (entry.req as { url?: string })?.url === "/login").length <
                total + 1 &&
            Date.now() < deadline
        ) {
            await new Promise((resolve) => setTimeout(resolve, 5));
        }
        auth.process.kill("SIGTERM");
        const answeredAtSignal = answered;
        await new Promise((resolve) => setTimeout(resolve, 100));
        const ready = await fetch(`${auth.adminUrl}/ready`);
        assert.equal(ready.status, 503, "readiness fails during the shutdown delay so endpoints drop the pod");
        const statuses = await Promise.all(logins);
        const code = await auth.exited;
        assert.ok(answeredAtSignal < total, `requests were in flight at SIGTERM (${total - answeredAtSignal} of ${total})`);
        assert.deepEqual(statuses, Array(total).fill(200));
        assert.equal(code, 0, `${auth.stderr.join("\n")}\n${JSON.stringify(auth.logs.slice(-4))}`);
        assert.ok(auth.logs.some((entry) => entry.msg === "stopped"));
        await assert.rejects(fetch(`${auth.adminUrl}/health`), "no longer accepting connections");
    });
});
