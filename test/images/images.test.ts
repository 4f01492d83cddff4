// Each built image started with runc as the platform runs it (its UID, read-only root, no capabilities)
// answers its probe; a write to its root fails. Needs root, runc and `scripts/images build` done.
import * as assert from "node:assert";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PASSWORD_SYNC_SCRIPT } from "../../components/postgres/password-sync";
import { type Container, eventually, runImage, runToCompletion } from "./runc";

const secret = () => randomBytes(18).toString("base64url");

/** Starts an image for one describe block and stops it afterwards, also when a test fails. */
function withContainer(name: string, options: Parameters<typeof runImage>[1], body: (get: () => Container) => void): void {
    let container: Container | undefined;
    before(function () {
        this.timeout(60000);
        container = runImage(name, options);
    });
    after(() => container?.stop());
    afterEach(function () {
        if (this.currentTest?.state === "failed" && container) {
            console.error(`--- ${name} output ---\n${container.log()}`);
        }
    });
    body(() => {
        if (!container) {
            throw new Error(`the ${name} container was not started: its before hook failed`);
        }
        return container;
    });
}

function httpStatus(container: Container, url: string): { code: string; body: string } {
    const result = container.inNetns("curl", ["-s", "-m", "3", "-o", "-", "-w", "\n%{http_code}", url]);
    const lines = result.stdout.split("\n");
    return { code: lines.pop() ?? "", body: lines.join("\n") };
}

/** The common checks: the process runs as the image's UID and cannot write to its root file system. */
function itRunsHardened(get: () => Container, uid: number): void {
    it(`runs as UID ${uid}`, () => assert.strictEqual(get().uid(), uid));
    it("cannot write to its root file system", () => {
        const result = get().exec(["sh", "-c", "echo x > /probe-write"]);
        assert.notStrictEqual(result.status, 0, "a write to / succeeded on a read-only root");
        assert.match(result.stderr, /Read-only file system/);
    });
}

describe("images run as their UID on a read-only root and answer their probe", function () {
    this.timeout(90000);

    describe("postgres", () => {
        const password = secret();
        withContainer(
            "postgres",
            {
                env: {
                    POSTGRES_USER: "blog",
                    POSTGRES_DB: "blogdb",
                    POSTGRES_PASSWORD: password,
                    PGDATA: "/var/lib/postgresql/data/pgdata",
                },
                writable: [
                    { path: "/var/lib/postgresql/data", uid: 999 },
                    { path: "/var/run/postgresql", uid: 999 },
                ],
            },
            (get) => {
                const psql = (pass: string) =>
                    get().inNetns(
                        "psql",
                        ["-h", "127.0.0.1", "-U", "blog", "-d", "blogdb", "-tAc", "select current_user || '@' || current_database()"],
                        { PGPASSWORD: pass, PGCONNECT_TIMEOUT: "3" },
                    );
                it("accepts a login over TCP with POSTGRES_PASSWORD into POSTGRES_DB", async () => {
                    await eventually("postgres to accept the login", () => psql(password).status === 0, 60000);
                    assert.strictEqual(psql(password).stdout.trim(), "blog@blogdb");
                });
                it("refuses a wrong password", () => {
                    const result = psql(`wrong-${password}`);
                    assert.notStrictEqual(result.status, 0);
                    assert.match(result.stderr, /password authentication failed/);
                });
                it("answers the platform's pg_isready probe inside the container", () => {
                    assert.strictEqual(
                        get().exec(["pg_isready", "--host=127.0.0.1", "--port=5432", "--username=blog", "--dbname=blogdb"]).status,
                        0,
                    );
                });
                itRunsHardened(get, 999);
            },
        );
    });

    describe("postgres on a volume that outlives the container", () => {
        let volume: string;
        const started: Container[] = [];
        const run = (password: string) => {
            const c = runImage("postgres", {
                env: {
                    POSTGRES_USER: "blog",
                    POSTGRES_DB: "blogdb",
                    POSTGRES_PASSWORD: password,
                    PGDATA: "/var/lib/postgresql/data/pgdata",
                },
                writable: [{ path: "/var/run/postgresql", uid: 999 }],
                volumes: [{ path: "/var/lib/postgresql/data", source: volume }],
            });
            started.push(c);
            return c;
        };
        const login = (c: Container, password: string) =>
            c.inNetns("psql", ["-h", "127.0.0.1", "-U", "blog", "-d", "blogdb", "-tAc", "select 1"], {
                PGPASSWORD: password,
                PGCONNECT_TIMEOUT: "3",
            }).status === 0;
        before(() => {
            volume = fs.mkdtempSync(path.join(os.tmpdir(), "img-pgvolume-"));
            fs.chownSync(volume, 999, 999);
        });
        after(() => {
            for (const c of started) {
                c.stop();
            }
            fs.rmSync(volume, { recursive: true, force: true });
        });

        it("initialises PGDATA (a subdirectory of the volume) on the first start only", async () => {
            const original = secret();
            const first = run(original);
            await eventually("the first start's login", () => login(first, original), 60000);
            assert.match(first.log(), /init process complete/);
            first.stop();
            // A second start with another password: no initdb, so the first password still holds.
            const second = run(secret());
            await eventually("the second start's login", () => login(second, original), 60000);
            assert.doesNotMatch(second.log(), /init process complete/);
        });
    });

    describe("postgres with the platform's sync-password step (components/postgres/password-sync.ts)", () => {
        let volume: string;
        const started: Container[] = [];
        const env = (password: string) => ({
            POSTGRES_USER: "blog",
            POSTGRES_DB: "blogdb",
            POSTGRES_PASSWORD: password,
            PGDATA: "/var/lib/postgresql/data/pgdata",
        });
        const mounts = () => ({
            writable: [{ path: "/var/run/postgresql", uid: 999 }],
            volumes: [{ path: "/var/lib/postgresql/data", source: volume }],
        });
        const serve = (password: string) => {
            const c = runImage("postgres", { env: env(password), ...mounts() });
            started.push(c);
            return c;
        };
        // As the init container runs it: the image, the script, the Secret's values in the environment.
        const step = (password: string) =>
            runToCompletion("postgres", { args: ["bash", "-c", PASSWORD_SYNC_SCRIPT], env: env(password), ...mounts() });
        const login = (c: Container, password: string) =>
            c.inNetns("psql", ["-h", "127.0.0.1", "-U", "blog", "-d", "blogdb", "-tAc", "select 1"], {
                PGPASSWORD: password,
                PGCONNECT_TIMEOUT: "3",
            });
        before(() => {
            volume = fs.mkdtempSync(path.join(os.tmpdir(), "img-pgsync-"));
            fs.chownSync(volume, 999, 999);
        });
        after(() => {
            for (const container of started) {
                container.stop();
            }
            fs.rmSync(volume, { recursive: true, force: true });
        });

        it("does nothing before the first start, which sets the password itself", () => {
            const result = step(secret());
            assert.strictEqual(result.status, 0, result.output);
            assert.match(result.output, /no database yet/);
        });

        it("makes an initialized database accept only the new password, without printing either", async function () {
            this.timeout(6 * 60 * 1000); // four unpacks of the image, each ~20 s on a busy machine
            const oldPassword = secret();
            const first = serve(oldPassword);
            await eventually("the first start's login", () => login(first, oldPassword).status === 0, 60000);
            first.stop();

            const newPassword = secret();
            const began = Date.now();
            const result = step(newPassword);
            const seconds = ((Date.now() - began) / 1000).toFixed(1);
            console.log(`      sync-password step on an initialized database (with the image's unpack): ${seconds} s`);
            assert.strictEqual(result.status, 0, result.output);
            assert.ok(!result.output.includes(newPassword) && !result.output.includes(oldPassword), "the step printed a password");
            // Idempotent: a pod restart runs it again with the same Secret.
            assert.strictEqual(step(newPassword).status, 0);

            const next = serve(newPassword);
            await eventually("a login with the new password", () => login(next, newPassword).status === 0, 60000);
            const refused = login(next, oldPassword);
            assert.notStrictEqual(refused.status, 0);
            assert.match(refused.stderr, /password authentication failed/);
            assert.ok(!next.log().includes(newPassword), "the server logged the new password");
        });
    });

    describe("redis", () => {
        const password = secret();
        withContainer(
            "redis",
            {
                // The platform's args (components/redis), the password from the environment.
                args: ["--requirepass", password, "--save", "", "--appendonly", "no"],
                writable: [{ path: "/data", uid: 999 }],
            },
            (get) => {
                it("answers PING with the password", async () => {
                    await eventually(
                        "redis to answer",
                        () => get().inNetns("redis-cli", ["-h", "127.0.0.1", "ping"], { REDISCLI_AUTH: password }).stdout.trim() === "PONG",
                    );
                });
                it("refuses commands without the password", () => {
                    assert.match(get().inNetns("redis-cli", ["-h", "127.0.0.1", "ping"]).stdout, /NOAUTH/);
                });
                itRunsHardened(get, 999);
            },
        );
    });

    describe("nginx-unprivileged", () => {
        withContainer("nginx-unprivileged", {}, (get) => {
            it("serves its default site on 8080", async () => {
                await eventually("nginx on 8080", () => httpStatus(get(), "http://127.0.0.1:8080/").code === "200");
                assert.match(httpStatus(get(), "http://127.0.0.1:8080/").body, /nginx-unprivileged/);
            });
            it("runs its workers as UID 101 too", () => {
                const uids = get().exec([
                    "sh",
                    "-c",
                    "for p in /proc/[0-9]*; do grep -q '^Name:.*nginx' $p/status && grep '^Uid:' $p/status; done; true",
                ]);
                const lines = uids.stdout.trim().split("\n").filter(Boolean);
                assert.ok(lines.length >= 2, `expected a master and workers, got: ${uids.stdout}${uids.stderr}`);
                for (const line of lines) assert.match(line, /^Uid:\s+101\s+101\s+101\s+101$/);
            });
            itRunsHardened(get, 101);
        });
    });

    // The image's default command for Prometheus; Alertmanager with the platform's args (components/monitoring),
    // whose empty --cluster.listen-address turns gossip off (it would find no pod address on loopback only).
    for (const [name, port, path, uid, args] of [
        ["prometheus", 9090, "/-/ready", 65534, undefined],
        [
            "alertmanager",
            9093,
            "/-/ready",
            65534,
            [
                "--config.file=/etc/alertmanager/alertmanager.yml",
                "--storage.path=/alertmanager",
                "--web.listen-address=:9093",
                "--cluster.listen-address=",
            ],
        ],
    ] as const) {
        describe(name, () => {
            withContainer(name, { args: args ? [...args] : undefined, writable: [{ path: `/${name}`, uid }] }, (get) => {
                it(`answers ${path} on ${port}`, async () => {
                    await eventually(`${name} ${path}`, () => httpStatus(get(), `http://127.0.0.1:${port}${path}`).code === "200");
                });
                itRunsHardened(get, uid);
            });
        });
    }

    describe("nginxlog-exporter", () => {
        // Flags instead of the gateway's config file (syslog on the pod's loopback): the same binary and port.
        withContainer("nginxlog-exporter", { args: ["-listen-port", "4040", "-namespace", "nginx", "/dev/null"] }, (get) => {
            it("serves /metrics on 4040 with its parse-error counter", async () => {
                await eventually("the exporter's /metrics", () => httpStatus(get(), "http://127.0.0.1:4040/metrics").code === "200");
                assert.match(httpStatus(get(), "http://127.0.0.1:4040/metrics").body, /^nginx_parse_errors_total 0$/m);
            });
            itRunsHardened(get, 65534);
        });
    });

    describe("kube-state-metrics", () => {
        // Serving metrics needs an API server (the end-to-end suite's cluster); here: the pinned binary runs.
        withContainer("kube-state-metrics", { args: ["version"] }, (get) => {
            it("runs the pinned kube-state-metrics v2.15.0 from its entrypoint", async () => {
                await eventually("the version line", () => /kube-state-metrics, version v2\.15\.0/.test(get().log()), 10000);
            });
        });
    });
});
