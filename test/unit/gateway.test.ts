import * as assert from "node:assert";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as dgram from "node:dgram";
import * as http from "node:http";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULTS } from "../../config";
import { CONNECT_ATTEMPTS, nginxConfig, type NginxConfigOptions, STARTUP_CHECK } from "../../components/gateway/nginx-conf";
import { gatewayRoutes } from "../../components/gateway/spec";
import { freePort, requireTool, waitForPort } from "../helpers/processes";

const NGINX = () => requireTool(["nginx", "/usr/sbin/nginx"], "nginx-light");

function writeConfig(dir: string, options: NginxConfigOptions): string {
    const file = path.join(dir, "nginx.conf");
    // Loopback only: the generated config listens on every address of the pod, which here is the machine's.
    fs.writeFileSync(file, nginxConfig(options).replace(/^(\s*listen )(\d+);/gm, "$1127.0.0.1:$2;"));
    return file;
}

interface Received {
    upstream: string;
    url: string;
    headers: http.IncomingHttpHeaders;
}

/**
 * A stub upstream that answers with what it received (with the status a `status=NNN` query asks for, 200
 * otherwise), and counts the TCP connections it accepted.
 */
async function stubUpstream(name: string): Promise<{ server: http.Server; port: number; connections: () => number }> {
    let connections = 0;
    const server = http.createServer((req, res) => {
        const body: Received = { upstream: name, url: req.url ?? "", headers: req.headers };
        // Like the real services and the frontend: a path none of them serves is a 404.
        res.statusCode = req.url === STARTUP_CHECK.probePath ? 404 : Number(/[?&]status=(\d{3})/.exec(req.url ?? "")?.[1] ?? 200);
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(body));
    });
    server.on("connection", () => connections++);
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    return { server, port, connections: () => connections };
}

function get(port: number, urlPath: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
        http.get({ host: "127.0.0.1", port, path: urlPath, headers: { host: "blog.example.com" } }, (res) => {
            let body = "";
            res.on("data", (chunk) => (body += chunk));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        }).on("error", reject);
    });
}

describe("gateway nginx.conf", () => {
    const routes = gatewayRoutes(DEFAULTS.routes);
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("passes the real nginx -t", () => {
        const upstreams = Object.fromEntries(routes.map((r) => [r.upstream, "127.0.0.1:9"]));
        const file = writeConfig(dir, { listenPort: 18080, statusPort: 18081, tempDir: dir, upstreams, routes });
        // stdout to a file-like target: node pipes are sockets, which /dev/stdout cannot be opened on.
        const result = spawnSync(NGINX(), ["-t", "-e", "stderr", "-p", dir, "-c", file], {
            encoding: "utf8",
            stdio: ["ignore", "ignore", "pipe"],
        });
        assert.strictEqual(result.status, 0, result.stderr);
        assert.match(result.stderr, /test is successful/);
    });

    it("refuses to generate a route whose upstream has no address", () => {
        assert.throws(
            () => nginxConfig({ listenPort: 1, statusPort: 2, tempDir: "/tmp", upstreams: {}, routes }),
            /routes name upstreams without an address: \/api\/auth\/ → auth/,
        );
    });

    describe("running on loopback against stub upstreams", () => {
        let nginx: ChildProcess;
        let gatewayPort: number;
        let adminPort: number;
        let stubs: Record<string, Awaited<ReturnType<typeof stubUpstream>>>;
        let syslog: dgram.Socket;
        let metricsLines: string[];

        beforeEach(async () => {
            // The per-route metrics exporter's side of the syslog stream: a UDP socket on loopback.
            metricsLines = [];
            syslog = dgram.createSocket("udp4");
            syslog.on("message", (message) => metricsLines.push(message.toString()));
            await new Promise<void>((resolve) => syslog.bind(0, "127.0.0.1", resolve));
            stubs = {};
            for (const upstream of new Set(routes.map((r) => r.upstream))) {
                stubs[upstream] = await stubUpstream(upstream);
            }
            gatewayPort = await freePort();
            adminPort = await freePort();
            const upstreams = Object.fromEntries(Object.entries(stubs).map(([name, stub]) => [name, `127.0.0.1:${stub.port}`]));
            const metricsLog = { server: `127.0.0.1:${syslog.address().port}`, tag: "gateway" };
            const file = writeConfig(dir, {
                listenPort: gatewayPort,
                adminPort,
                statusPort: await freePort(),
                tempDir: dir,
                upstreams,
                routes,
                metricsLog,
            });
            nginx = spawn(NGINX(), ["-e", "stderr", "-p", dir, "-c", file, "-g", "daemon off;"], { stdio: ["ignore", "ignore", "pipe"] });
            let stderr = "";
            nginx.stderr?.on("data", (chunk) => (stderr += chunk));
            await waitForPort(gatewayPort, 5000).catch((error) => {
                throw new Error(`${error.message}; nginx said: ${stderr}`);
            });
        });

        afterEach(async () => {
            if (nginx.exitCode === null) {
                const exited = new Promise((resolve) => nginx.once("exit", resolve));
                nginx.kill("SIGTERM");
                await exited;
            }
            await Promise.all(Object.values(stubs).map((stub) => new Promise((resolve) => stub.server.close(resolve))));
            syslog.close();
        });

        it("sends one syslog line per request with the route it took, its status and time, and none for its probes", async () => {
            await get(gatewayPort, "/api/posts/42");
            await get(gatewayPort, "/api/auth/login");
            await get(gatewayPort, "/health");
            await get(gatewayPort, "/about/team");
            const deadline = Date.now() + 3000;
            while (metricsLines.length < 3 && Date.now() < deadline) {
                await new Promise((resolve) => setTimeout(resolve, 50));
            }
            await new Promise((resolve) => setTimeout(resolve, 200));
            const fields = metricsLines.map((line) => {
                const match = /^<\d+>\w{3} [ \d]\d \d\d:\d\d:\d\d gateway: (\S+) (\d{3}) (\d+\.\d{3}) "(\S+) (\S+) HTTP\/1\.1"$/.exec(line);
                assert.ok(match, `not a metrics line in the exporter's format: ${line}`);
                return [match[1], match[2], match[4], match[5]].join(" ");
            });
            assert.deepStrictEqual(fields, ["blog 200 GET /api/posts/42", "auth 200 GET /api/auth/login", "frontend 200 GET /about/team"]);
        });

        const expectations: [string, string, string][] = [
            ["/api/auth/login", "auth", "/login"],
            ["/api/posts/42?draft=1", "blog", "/42?draft=1"],
            ["/api/comments/7", "comment", "/7"],
            ["/api/images/cat.png", "image", "/cat.png"],
            ["/", "frontend", "/"],
            ["/about/team", "frontend", "/about/team"],
        ];
        for (const [requested, upstream, forwarded] of expectations) {
            it(`routes ${requested} to ${upstream} as ${forwarded} with the proxy headers`, async () => {
                const response = await get(gatewayPort, requested);
                assert.strictEqual(response.status, 200, response.body);
                const received = JSON.parse(response.body) as Received;
                assert.strictEqual(received.upstream, upstream);
                assert.strictEqual(received.url, forwarded);
                assert.strictEqual(received.headers.host, "blog.example.com");
                assert.strictEqual(received.headers["x-real-ip"], "127.0.0.1");
                assert.strictEqual(received.headers["x-forwarded-for"], "127.0.0.1");
                assert.strictEqual(received.headers["x-forwarded-proto"], "http");
                assert.match(String(received.headers["x-request-id"]), /^[0-9a-f]{32}$/);
                assert.strictEqual(received.headers.connection, undefined, "an empty Connection header keeps upstream keepalive");
            });
        }

        /** A request whose answer comes from nginx itself: status, content type and parsed body. */
        function gatewayAnswer(method: string, urlPath: string, headers: http.OutgoingHttpHeaders = {}) {
            return new Promise<{ status: number; type: string; json: { error?: string } }>((resolve, reject) => {
                const request = http.request({ host: "127.0.0.1", port: gatewayPort, method, path: urlPath, headers }, (res) => {
                    let body = "";
                    res.on("data", (chunk) => (body += chunk));
                    res.on("end", () =>
                        resolve({ status: res.statusCode ?? 0, type: res.headers["content-type"] ?? "", json: JSON.parse(body) }),
                    );
                });
                request.on("error", reject);
                // Headers only: nginx judges a declared Content-Length before reading any body.
                request.end();
            });
        }

        it("answers a service that is down with a JSON 502 naming it, counted under its route", async () => {
            stubs.blog.server.closeAllConnections();
            await new Promise((resolve) => stubs.blog.server.close(resolve));
            const answer = await gatewayAnswer("GET", "/api/posts/1");
            assert.strictEqual(answer.status, 502);
            assert.strictEqual(answer.type, "application/json");
            assert.match(String(answer.json.error), /^the blog service is unavailable/);
            const deadline = Date.now() + 3000;
            while (!metricsLines.some((line) => / gateway: blog 502 /.test(line)) && Date.now() < deadline) {
                await new Promise((resolve) => setTimeout(resolve, 50));
            }
            assert.ok(
                metricsLines.some((line) => / gateway: blog 502 /.test(line)),
                metricsLines.join("\n"),
            );
        });

        it("refuses a body over the route's limit with a JSON 413 naming the route, before the service sees it", async () => {
            const answer = await gatewayAnswer("POST", "/api/posts/", {
                "content-type": "application/json",
                "content-length": 2 * 1024 * 1024,
            });
            assert.strictEqual(answer.status, 413);
            assert.strictEqual(answer.type, "application/json");
            assert.strictEqual(answer.json.error, "request body too large for the blog route");
            assert.strictEqual(stubs.blog.connections(), 0);
            // Counted under its route too, not under "none".
            const deadline = Date.now() + 3000;
            while (!metricsLines.some((line) => / gateway: blog 413 /.test(line)) && Date.now() < deadline) {
                await new Promise((resolve) => setTimeout(resolve, 50));
            }
            assert.ok(
                metricsLines.some((line) => / gateway: blog 413 /.test(line)),
                metricsLines.join("\n"),
            );
        });

        it("passes a service's own 502 through untouched", async () => {
            const answer = await gatewayAnswer("GET", "/api/comments/7?status=502");
            assert.strictEqual(answer.status, 502);
            assert.strictEqual((answer.json as unknown as Received).upstream, "comment", "the service's body, not the gateway's");
        });

        it("answers its probes on the admin port only; the public port keeps the entry's static /health", async () => {
            assert.deepStrictEqual(await get(adminPort, "/health"), { status: 200, body: "ok\n" });
            assert.deepStrictEqual(await get(adminPort, "/ready"), { status: 200, body: "ready\n" });
            assert.strictEqual((await get(adminPort, "/api/posts/")).status, 404, "the admin server routes nothing");
            assert.deepStrictEqual(await get(gatewayPort, "/health"), { status: 200, body: "ok\n" });
            // Publicly /ready is just a path under the frontend's route, not the gateway's readiness.
            const ready = await get(gatewayPort, "/ready");
            assert.strictEqual((JSON.parse(ready.body) as Received).upstream, "frontend");
            assert.strictEqual(stubs.frontend.connections(), 1);
        });

        it("passes its startup check only once an upstream has answered this pod, trying each in turn", async () => {
            const stop = (stub: Awaited<ReturnType<typeof stubUpstream>>) => {
                stub.server.closeAllConnections();
                return new Promise((resolve) => stub.server.close(resolve));
            };
            const [survivor, ...others] = Object.keys(stubs);
            await Promise.all(Object.values(stubs).map(stop));
            const none = await get(adminPort, STARTUP_CHECK.path);
            assert.strictEqual(none.status, 502, `no upstream is reachable, yet the check answered ${none.status}: ${none.body}`);
            // One upstream back, the last one nginx would try or the first: any one is enough.
            const revived = await stubUpstream(survivor);
            stubs[survivor] = revived;
            nginx.kill("SIGTERM");
            await new Promise((resolve) => nginx.once("exit", resolve));
            const upstreams = Object.fromEntries([
                ...others.map((name) => [name, "127.0.0.1:9"]), // discard port: nothing listens, the connect is refused
                [survivor, `127.0.0.1:${revived.port}`],
            ]);
            const file = writeConfig(dir, { listenPort: gatewayPort, adminPort, tempDir: dir, upstreams, routes });
            nginx = spawn(NGINX(), ["-e", "stderr", "-p", dir, "-c", file, "-g", "daemon off;"], { stdio: ["ignore", "ignore", "pipe"] });
            await waitForPort(adminPort, 5000);
            const answered = await get(adminPort, STARTUP_CHECK.path);
            assert.deepStrictEqual(answered, { status: 200, body: "an upstream answered\n" });
            assert.strictEqual(revived.connections(), 1, `${survivor} was never asked`);
            // Not a path of the public entry: there it is the frontend route's, like any other unrouted path.
            const publicly = await get(gatewayPort, STARTUP_CHECK.path);
            assert.notStrictEqual(publicly.body, answered.body, "the public port runs the startup check");
        });

        it("reuses one upstream connection for consecutive requests (keepalive)", async () => {
            for (let i = 0; i < 5; i++) {
                await get(gatewayPort, `/api/posts/${i}`);
            }
            assert.strictEqual(stubs.blog.connections(), 1);
        });
    });
});

describe("gateway retries a failed connect on a new connection (real nginx)", () => {
    const routes = gatewayRoutes(DEFAULTS.routes);
    let dir: string;
    let nginx: ChildProcess;
    let stderr: string;
    let gatewayPort: number;

    /** nginx with every upstream at `address`; its error log collected. */
    async function start(address: string): Promise<void> {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-retry-"));
        gatewayPort = await freePort();
        const upstreams = Object.fromEntries(routes.map((r) => [r.upstream, address]));
        const file = writeConfig(dir, { listenPort: gatewayPort, tempDir: dir, upstreams, routes });
        nginx = spawn(NGINX(), ["-e", "stderr", "-p", dir, "-c", file, "-g", "daemon off;"], { stdio: ["ignore", "ignore", "pipe"] });
        stderr = "";
        nginx.stderr?.on("data", (chunk) => (stderr += chunk));
        await waitForPort(gatewayPort, 5000);
    }

    afterEach(async () => {
        if (nginx.exitCode === null) {
            const exited = new Promise((resolve) => nginx.once("exit", resolve));
            nginx.kill("SIGTERM");
            await exited;
        }
        fs.rmSync(dir, { recursive: true, force: true });
    });

    function send(method: string, urlPath: string): Promise<number> {
        return new Promise((resolve, reject) => {
            const req = http.request({
                host: "127.0.0.1",
                port: gatewayPort,
                method,
                path: urlPath,
                headers: { "content-type": "application/json" },
            });
            req.on("response", (res) => {
                res.resume();
                res.on("end", () => resolve(res.statusCode ?? 0));
            });
            req.on("error", reject);
            req.end(method === "POST" ? '{"title":"t","body":"b"}' : undefined);
        });
    }

    it(`tries ${CONNECT_ATTEMPTS} connections for a refused connect, for a GET and for a POST (nothing was sent)`, async () => {
        await start("127.0.0.1:9"); // the discard port: nothing listens, every connect is refused
        for (const method of ["GET", "POST"]) {
            stderr = "";
            assert.strictEqual(await send(method, "/api/posts/"), 502);
            await new Promise((resolve) => setTimeout(resolve, 100));
            const refused = stderr.split("\n").filter((line) => /connect\(\) failed \(111/.test(line));
            assert.strictEqual(refused.length, CONNECT_ATTEMPTS, `${method}: nginx's error log:\n${stderr}`);
        }
    });

    it("does not send a POST again once it reached an upstream that then failed; a GET it does", async () => {
        // An upstream that reads the request and drops the connection without answering.
        let connections = 0;
        const dropper = net.createServer((socket) => {
            connections++;
            socket.once("data", () => socket.destroy());
        });
        const port = await freePort();
        await new Promise<void>((resolve) => dropper.listen(port, "127.0.0.1", resolve));
        try {
            await start(`127.0.0.1:${port}`);
            assert.strictEqual(await send("POST", "/api/posts/"), 502);
            assert.strictEqual(connections, 1, "a POST that reached the upstream is not retried");
            connections = 0;
            assert.strictEqual(await send("GET", "/api/posts/"), 502);
            assert.strictEqual(connections, CONNECT_ATTEMPTS, "an idempotent GET is retried");
        } finally {
            await new Promise((resolve) => dropper.close(resolve));
        }
    });
});
