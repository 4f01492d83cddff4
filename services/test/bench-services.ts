// Benchmark (not a test): each backend's RPS and p95 on loopback, beside the reference's capacity table.
// Lives beside the test helpers it reuses (the root tsconfig type-checks scripts/ without these packages).
// Run it with `scripts/test-services --bench`, which builds the services and starts PostgreSQL and Redis.
// Numbers from a shared 2-core machine with load generator and services on the same cores: a floor.
import autocannon from "autocannon";
import { startStack } from "./lib/stack";
import { call, closeDb, registeredUser } from "./lib/http";

// The reference's table: Max RPS and P95 latency per service (per replica, at its CPU request).
const REFERENCE: Record<string, { rps: number; p95Ms: number }> = {
    auth: { rps: 1000, p95Ms: 50 },
    blog: { rps: 2000, p95Ms: 25 },
    comment: { rps: 1500, p95Ms: 30 },
};

interface Scenario {
    service: string;
    name: string;
    url: string;
    method?: "GET" | "POST";
    headers?: Record<string, string>;
    body?: string;
}

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);

async function measure(scenario: Scenario): Promise<{ rps: number; p95Ms: number; errors: number; requests: number }> {
    const times: number[] = [];
    let errors = 0;
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon(
            {
                url: scenario.url,
                method: scenario.method ?? "GET",
                headers: scenario.headers,
                body: scenario.body,
                connections,
                duration: seconds,
            },
            (error, finished) => (error ? reject(error) : resolve(finished)),
        );
        instance.on("response", (_client, statusCode, _bytes, responseTime) => {
            times.push(responseTime);
            if (statusCode >= 400) errors++;
        });
    });
    times.sort((a, b) => a - b);
    const p95Ms = times.length ? times[Math.min(times.length - 1, Math.floor(times.length * 0.95))] : NaN;
    return { rps: result.requests.average, p95Ms, errors: errors + result.errors + result.timeouts, requests: times.length };
}

async function main(): Promise<void> {
    const quiet = { LOG_LEVEL: "warn" }; // per-request info logs would measure the log pipe, not the service
    const stack = await startStack({ auth: { ...quiet, LOGIN_ATTEMPTS_PER_MINUTE: "100000" }, blog: quiet, comment: quiet, image: quiet });
    try {
        const user = await registeredUser(stack.auth.url);
        const post = await call("POST", `${stack.blog.url}/`, { token: user.token, body: { title: "Bench", body: "x".repeat(2000) } });
        for (let i = 0; i < 20; i++) {
            await call("POST", `${stack.comment.url}/`, { token: user.token, body: { postId: post.body.id, body: `comment ${i}` } });
        }
        const auth = { authorization: `Bearer ${user.token}` };
        const json = { "content-type": "application/json" };
        const scenarios: Scenario[] = [
            { service: "auth", name: "GET /me (verify token)", url: `${stack.auth.url}/me`, headers: auth },
            {
                service: "auth",
                name: "POST /login (argon2id)",
                url: `${stack.auth.url}/login`,
                method: "POST",
                headers: json,
                body: JSON.stringify({ username: user.username, password: user.password }),
            },
            { service: "blog", name: "GET /:id (Redis hit)", url: `${stack.blog.url}/${post.body.id}` },
            { service: "blog", name: "GET /?page=1 (list)", url: `${stack.blog.url}/?page=1&limit=20` },
            { service: "comment", name: "GET /?postId (list)", url: `${stack.comment.url}/?postId=${post.body.id}` },
            {
                service: "comment",
                name: "POST / (checks blog)",
                url: `${stack.comment.url}/`,
                method: "POST",
                headers: { ...json, ...auth },
                body: JSON.stringify({ postId: post.body.id, body: "bench" }),
            },
        ];
        const rows: string[] = [];
        for (const scenario of scenarios) {
            const r = await measure(scenario);
            const ref = REFERENCE[scenario.service];
            rows.push(
                [
                    scenario.service.padEnd(8),
                    scenario.name.padEnd(26),
                    r.rps.toFixed(0).padStart(7),
                    r.p95Ms.toFixed(1).padStart(8),
                    String(ref.rps).padStart(8),
                    String(ref.p95Ms).padStart(8),
                    String(r.errors).padStart(7),
                ].join(" | "),
            );
            process.stderr.write(`measured ${scenario.service} ${scenario.name}\n`);
        }
        console.log(`\n${connections} connections, ${seconds} s per scenario, one process per service, loopback\n`);
        console.log(["service ", "scenario".padEnd(26), "    RPS", " p95 ms", " ref RPS", " ref p95", " errors"].join(" | "));
        console.log(rows.map((r) => r).join("\n"));
    } finally {
        await stack.stop();
        await closeDb();
    }
}

main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
});
