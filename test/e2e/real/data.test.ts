// Data on the real node: rows written through the API survive a Postgres pod deletion, a rolling update
// of every service, a `pulumi up` that replaces Postgres's pod and a kubelet restart; then a backup taken
// by the CronJob restores into a fresh database that holds every row (the runbook of docs/backup.md).
import * as assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { clientServiceName } from "../../../components/datastore/create";
import { BACKUP_DIR, backupClaimName, RESTORE_POD, restorePodManifest } from "../../../components/postgres/backup";
import { POSTGRES_PORT, POSTGRES_UID } from "../../../components/postgres/component";
import { POSTGRES_BACKUP_WORKLOAD } from "../../../components/shared/topology";
import { E2E_DIR, kubectl } from "../helpers";
import { BlogClient, gatewayUrl, type Reply } from "../../../harness/blog-client";
import type { Pod } from "../../../harness/kube";
import { type DeployedStack, deployStack, destroyStack } from "../../../harness/stacks";
import {
    restartEveryDeployment,
    restartKubelet,
    sqlInDatabasePod,
    waitFor,
    waitForJob,
    waitForReadyPods,
    waitForGatewayRoutes,
} from "./platform";

/** The suite's own dev copy: the backup on, no monitoring stack (nothing here reads metrics; it saves a third of the CPU). */
const OVERRIDES = {
    "blog:postgres": { storageSize: "1Gi", backup: { enabled: true, keep: 3 } },
    "blog:monitoring": { enabled: false },
};
/** What the `pulumi up` step changes: Postgres's requests and limits, so its pod is replaced. */
const NEW_POSTGRES_RESOURCES = { requests: { cpu: "200m", memory: "384Mi" }, limits: { cpu: "750m", memory: "768Mi" } };
const TITLE_PREFIX = "data-suite";
const USERS = 2;
const POSTS_PER_USER = 4;
const COMMENTS_PER_POST = 2;
/**
 * How long a read waits out 5xx and 429 answers. A service whose database is away answers 503 until its
 * pool reconnects, a replaced pod is not Ready until its database answers, and the login limit (10 a
 * minute) resets in 60 s.
 */
const RETRY_SECONDS = 90;

interface Written {
    users: { client: BlogClient; username: string; password: string }[];
    posts: { id: number; title: string }[];
    comments: Map<number, string[]>;
}

interface Counts {
    users: number;
    posts: number;
    comments: number;
}

/** What one read through the API found, and every reply that was not the row asked for (for the failure message). */
interface ApiRead {
    counts: Counts;
    misses: string[];
    /** "Not now" replies waited out on the way (see served). */
    retries: number;
}

const podJson = (namespace: string, name: string) =>
    JSON.parse(kubectl(["-n", namespace, "get", "pod", name, "-o", "json"]).stdout) as Pod & {
        metadata: { uid: string };
        spec: { containers: { name: string; resources: unknown }[] };
        status: { containerStatuses?: { name: string; restartCount: number }[] };
    };

describe("data on the real node", function () {
    this.timeout(30 * 60 * 1000);
    let deployed: DeployedStack;
    let ns: string;
    const written: Written = { users: [], posts: [], comments: new Map() };
    const expected = () => ({
        users: written.users.length,
        posts: written.posts.length,
        comments: [...written.comments.values()].reduce((sum, list) => sum + list.length, 0),
    });
    const show = (counts: Counts) => {
        const want = expected();
        return `users ${counts.users}/${want.users}, posts ${counts.posts}/${want.posts}, comments ${counts.comments}/${want.comments}`;
    };

    /**
     * One call that waits out "not now" answers: 5xx and 429 (a service out of rotation after its database
     * was away, or the login rate limit) are retried for up to RETRY_SECONDS; any other answer is final, so a
     * missing row (404) or a wrong one fails the read. Returns the final reply and how many retries it took.
     */
    async function served(call: () => Promise<Reply>): Promise<{ reply: Reply; retries: number }> {
        const deadline = Date.now() + RETRY_SECONDS * 1000;
        for (let retries = 0; ; retries++) {
            const reply = await call().catch((error: Error) => ({ status: 0, type: "", body: Buffer.from(error.message) }));
            const notNow = reply.status === 0 || reply.status === 429 || reply.status >= 500;
            if (!notNow || Date.now() > deadline) {
                return { reply, retries };
            }
            await new Promise((resolve) => setTimeout(resolve, 1000));
        }
    }

    /** Every row written, read back through the gateway: each user logs in, each post and its comments are read. */
    async function readThroughApi(): Promise<ApiRead> {
        const gateway = gatewayUrl(ns);
        const misses: string[] = [];
        let retries = 0;
        const read = async (what: string, call: () => Promise<Reply>, found: (reply: Reply) => boolean) => {
            const result = await served(call);
            retries += result.retries;
            if (!found(result.reply)) {
                misses.push(`${what}: ${result.reply.status} ${result.reply.body.toString().slice(0, 160)}`);
            }
            return result.reply;
        };
        let users = 0;
        for (const user of written.users) {
            const credentials = { username: user.username, password: user.password };
            const login = await read(
                `log in as ${user.username}`,
                () => new BlogClient(gateway).call("POST", "/api/auth/login", credentials),
                (reply) => reply.status === 200,
            );
            users += login.status === 200 ? 1 : 0;
        }
        let posts = 0;
        let comments = 0;
        const reader = new BlogClient(gateway);
        const titled = (title: string) => (reply: Reply) => reply.status === 200 && JSON.parse(reply.body.toString()).title === title;
        for (const post of written.posts) {
            const found = titled(post.title);
            posts += found(await read(`read post ${post.id}`, () => reader.call("GET", `/api/posts/${post.id}`), found)) ? 1 : 0;
            const list = await read(
                `list comments of post ${post.id}`,
                () => reader.call("GET", `/api/comments/?postId=${post.id}`),
                (reply) => reply.status === 200,
            );
            if (list.status === 200) {
                const bodies = (JSON.parse(list.body.toString()).comments as { body: string }[]).map((c) => c.body);
                comments += (written.comments.get(post.id) ?? []).filter((body) => bodies.includes(body)).length;
            }
        }
        return { counts: { users, posts, comments }, misses, retries };
    }

    /** The same rows counted by SQL in the database itself (the blog service caches posts in Redis). */
    function countInDatabase(database = "blog", exec = (sql: string) => sqlInDatabasePod(ns, sql, database)): Counts {
        const names = written.users.map((u) => `'${u.username}'`).join(",");
        return {
            users: Number(exec(`SELECT count(*) FROM users WHERE username IN (${names})`)),
            posts: Number(exec(`SELECT count(*) FROM posts WHERE title LIKE '${TITLE_PREFIX} %'`)),
            comments: Number(exec(`SELECT count(*) FROM comments WHERE body LIKE '${TITLE_PREFIX} %'`)),
        };
    }

    /**
     * Waits until every pod is Ready again, then reads every row once through the API (waiting out "not now"
     * answers, see served) and counts them by SQL; both must hold every row written.
     */
    async function readAfter(step: string): Promise<void> {
        const ready = await waitForReadyPods(ns);
        const started = Date.now();
        const api = await readThroughApi();
        const db = countInDatabase();
        const readIn = ((Date.now() - started) / 1000).toFixed(1);
        const retried = `${api.retries} ${api.retries === 1 ? "reply" : "replies"} retried`;
        console.log(
            `      rows after ${step}: API ${show(api.counts)}; SQL ${show(db)} ` +
                `(pods Ready after ${ready.toFixed(1)} s; read in ${readIn} s, ${retried})`,
        );
        assert.deepStrictEqual(api.counts, expected(), `rows readable through the API after ${step}; misses:\n${api.misses.join("\n")}`);
        assert.deepStrictEqual(db, expected(), `rows in the database after ${step}`);
    }

    after(() => {
        if (ns) {
            kubectl(["-n", ns, "delete", "pod", RESTORE_POD, "--ignore-not-found", "--wait=false"], { mayFail: true });
        }
        destroyStack(deployed);
    });

    it("deploys its own dev copy with the backup scheduled", async () => {
        deployed = deployStack("dev", "data", OVERRIDES);
        ns = deployed.namespace;
        console.log(`      pulumi up, empty to all Ready: ${deployed.upSeconds.toFixed(1)} s`);
        await waitForReadyPods(ns);
        await waitForGatewayRoutes(ns, "pulumi up returned");
        const cronJob = JSON.parse(kubectl(["-n", ns, "get", "cronjob", POSTGRES_BACKUP_WORKLOAD, "-o", "json"]).stdout);
        assert.strictEqual(cronJob.spec.schedule, "0 3 * * *");
        assert.strictEqual(cronJob.spec.timeZone, "Etc/UTC");
    });

    it("writes users, posts and comments through the gateway", async () => {
        assert.ok(ns, "the stack did not come up");
        const gateway = gatewayUrl(ns);
        for (let u = 0; u < USERS; u++) {
            const client = new BlogClient(gateway);
            const credentials = await client.signUp("datasuite");
            written.users.push({ client, ...credentials });
        }
        for (const [u, user] of written.users.entries()) {
            for (let p = 0; p < POSTS_PER_USER; p++) {
                const title = `${TITLE_PREFIX} post ${p} of user ${u}`;
                const post = await user.client.expect(201, "POST", "/api/posts/", {
                    title,
                    body: `Body of ${title}, written before the storms.`,
                });
                written.posts.push({ id: post.id as number, title });
            }
        }
        for (const post of written.posts) {
            const bodies: string[] = [];
            for (let c = 0; c < COMMENTS_PER_POST; c++) {
                const commenter = written.users[(post.id + c) % written.users.length];
                const body = `${TITLE_PREFIX} comment ${c} on post ${post.id}`;
                await commenter.client.expect(201, "POST", "/api/comments/", { postId: post.id, body });
                bodies.push(body);
            }
            written.comments.set(post.id, bodies);
        }
        const counts = countInDatabase();
        console.log(`      rows written: ${show(counts)}`);
        assert.deepStrictEqual(counts, expected());
    });

    it("keeps every row when the Postgres pod is deleted and the StatefulSet recreates it on the same claim", async () => {
        assert.ok(written.posts.length > 0, "no rows were written");
        const claimUid = () => kubectl(["-n", ns, "get", "pvc", "data-postgres-0", "-o", "jsonpath={.metadata.uid}"]).stdout;
        const before = { pod: podJson(ns, "postgres-0").metadata.uid, claim: claimUid() };
        const started = Date.now();
        kubectl(["-n", ns, "delete", "pod", "postgres-0", "--wait=true", "--timeout=120s"]);
        kubectl(["-n", ns, "wait", "pod/postgres-0", "--for=condition=Ready", "--timeout=180s"]);
        const after = { pod: podJson(ns, "postgres-0").metadata.uid, claim: claimUid() };
        console.log(
            `      Postgres pod deleted and Ready again on claim data-postgres-0 in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
        assert.notStrictEqual(after.pod, before.pod, "the pod was recreated");
        assert.strictEqual(after.claim, before.claim, "on the same claim");
        await readAfter("deleting the Postgres pod");
    });

    it("keeps every row through a rolling update of every service", async () => {
        assert.ok(written.posts.length > 0, "no rows were written");
        const { deployments, seconds } = restartEveryDeployment(ns);
        console.log(`      rolled ${deployments.length} Deployments (${deployments.join(", ")}) in ${seconds.toFixed(1)} s`);
        assert.ok(deployments.length >= 6, `every service rolled: ${deployments.join(", ")}`);
        await waitForReadyPods(ns);
        await readAfter("a rolling update of every service");
    });

    it("keeps every row through a pulumi up that changes Postgres's resources and so replaces its pod", async () => {
        assert.ok(written.posts.length > 0, "no rows were written");
        const before = podJson(ns, "postgres-0").metadata.uid;
        const update = deployStack("dev", "data", {
            ...OVERRIDES,
            "blog:postgres": { ...OVERRIDES["blog:postgres"], resources: NEW_POSTGRES_RESOURCES },
        });
        // pulumi-kubernetes 4.25.0 may call the StatefulSet updated before its controller has seen the new
        // spec (pulumi/pulumi-kubernetes#3329, the observedGeneration check of #4094): wait for the rollout.
        const rolled = Date.now();
        kubectl(["-n", ns, "rollout", "status", "statefulset/postgres", "--timeout=180s"]);
        console.log(
            `      pulumi up with Postgres's new resources: ${update.upSeconds.toFixed(1)} s; ` +
                `the StatefulSet's rollout finished ${((Date.now() - rolled) / 1000).toFixed(1)} s after it returned`,
        );
        const pod = podJson(ns, "postgres-0");
        assert.notStrictEqual(pod.metadata.uid, before, "the Postgres pod was replaced");
        const container = pod.spec.containers.find((c) => c.name === "postgres") as { resources: any };
        assert.deepStrictEqual(
            { requests: { cpu: container.resources.requests.cpu, memory: container.resources.requests.memory } },
            { requests: NEW_POSTGRES_RESOURCES.requests },
        );
        await waitForReadyPods(ns);
        await readAfter("a pulumi up that replaced the Postgres pod");
    });

    it("keeps every row, and every pod running, through a restart of the node's kubelet", async () => {
        assert.ok(written.posts.length > 0, "no rows were written");
        type Listed = ReturnType<typeof podJson> & { metadata: { deletionTimestamp?: string } };
        const running = () =>
            (JSON.parse(kubectl(["-n", ns, "get", "pods", "-o", "json"]).stdout).items as Listed[]).filter(
                (pod) => pod.status.phase === "Running",
            );
        // Pods an earlier step replaced may still be draining (preStop, grace period): let them go first.
        const settle = Date.now();
        while (running().some((pod) => pod.metadata.deletionTimestamp)) {
            assert.ok(Date.now() - settle < 120_000, "pods still terminating after 120 s");
            await new Promise((resolve) => setTimeout(resolve, 2000));
        }
        const snapshot = () =>
            Object.fromEntries(
                running().map((pod) => [
                    pod.metadata.name,
                    `${pod.metadata.uid} restarts ${(pod.status.containerStatuses ?? []).reduce((sum, c) => sum + c.restartCount, 0)}`,
                ]),
            );
        const before = snapshot();
        const { seconds, output } = restartKubelet();
        const ready = await waitForReadyPods(ns);
        // The node is Ready before the new kubelet has listed its pods again, and until then it refuses exec
        // ("unable to upgrade connection: pod does not exist"), which the SQL count below needs.
        const execStarted = Date.now();
        await waitFor(
            "the restarted kubelet to serve exec in postgres-0",
            () =>
                kubectl(["-n", ns, "exec", "postgres-0", "-c", "postgres", "--", "true"], { mayFail: true }).status === 0
                    ? true
                    : undefined,
            60_000,
            500,
        );
        const execSeconds = ((Date.now() - execStarted) / 1000).toFixed(1);
        console.log(
            `      kubelet restarted, node Ready in ${seconds.toFixed(1)} s, pods Ready ${ready.toFixed(1)} s later, ` +
                `exec served ${execSeconds} s after that`,
        );
        console.log(`      ${output.trim().split("\n").pop()}`);
        assert.deepStrictEqual(snapshot(), before, "the same pods, none of their containers restarted");
        await readAfter("a kubelet restart");
    });

    it("restores a backup taken by the CronJob into a fresh database that holds every row", async () => {
        assert.ok(written.posts.length > 0, "no rows were written");
        const job = `drill-${Date.now()}`;
        kubectl(["-n", ns, "create", "job", `--from=cronjob/${POSTGRES_BACKUP_WORKLOAD}`, job]);
        const backupSeconds = await waitForJob(ns, job, 300);
        const log = kubectl(["-n", ns, "logs", `job/${job}`]).stdout;
        const done = /backup (\S+\.dump): (\d+) bytes in (\d+) s/.exec(log);
        assert.ok(done, `the backup's log names its dump:\n${log}`);
        const [, file, bytes] = done;
        const waitedForDatabase = /the database answered after (\d+) s/.exec(log)?.[1] ?? "0";
        console.log(
            `      backup ${file}: ${bytes} bytes, job done in ${backupSeconds.toFixed(1)} s ` +
                `(waited ${waitedForDatabase} s for the database, pg_dump ${done[3]} s)`,
        );

        // The runbook's restore pod (docs/backup.md), with the backup's identity and the claim read-only.
        const image = kubectl([
            "-n",
            ns,
            "get",
            "statefulset",
            "postgres",
            "-o",
            "jsonpath={.spec.template.spec.containers[0].image}",
        ]).stdout;
        const manifest = restorePodManifest({
            image,
            host: clientServiceName("postgres"),
            port: POSTGRES_PORT,
            secretName: "postgres-credentials",
            claimName: backupClaimName("postgres"),
            uid: POSTGRES_UID,
        });
        const manifestFile = path.join(E2E_DIR, `${RESTORE_POD}.yaml`);
        fs.writeFileSync(manifestFile, yaml.dump(manifest));
        kubectl(["-n", ns, "apply", "-f", manifestFile]);
        kubectl(["-n", ns, "wait", `pod/${RESTORE_POD}`, "--for=condition=Ready", "--timeout=120s"]);
        const exec = (...command: string[]) => kubectl(["-n", ns, "exec", RESTORE_POD, "--", ...command]).stdout.trim();

        // The backup identity reaches the database (once the policy agent has the new pod's rules: the
        // backup script waits the same way) and nothing else (its NetworkPolicy, from the graph).
        const admitted = Date.now();
        while (kubectl(["-n", ns, "exec", RESTORE_POD, "--", "pg_isready", "--timeout=5"], { mayFail: true }).status !== 0) {
            assert.ok(Date.now() - admitted < 120_000, "the restore pod never reached the database");
            await new Promise((resolve) => setTimeout(resolve, 1000));
        }
        console.log(`      restore pod reached the database ${((Date.now() - admitted) / 1000).toFixed(1)} s after Ready`);
        for (const [host, port] of [
            ["redis", 6379],
            ["auth", 8080],
        ] as const) {
            const probe = kubectl(["-n", ns, "exec", RESTORE_POD, "--", "bash", "-c", `timeout 5 bash -c '</dev/tcp/${host}/${port}'`], {
                mayFail: true,
            });
            assert.notStrictEqual(probe.status, 0, `the backup identity must not reach ${host}:${port}`);
        }

        const fresh = `restore_drill_${Date.now()}`;
        const started = Date.now();
        exec("createdb", fresh);
        exec("pg_restore", "--no-owner", "--exit-on-error", `--dbname=${fresh}`, `${BACKUP_DIR}/${file}`);
        const restoreSeconds = (Date.now() - started) / 1000;
        const sql = (statement: string) => exec("psql", "--no-psqlrc", `--dbname=${fresh}`, "--tuples-only", "--no-align", "-c", statement);
        const restored = countInDatabase(fresh, sql);
        const titles = sql(`SELECT title FROM posts WHERE title LIKE '${TITLE_PREFIX} %' ORDER BY id`).split("\n");
        console.log(`      restored into fresh database ${fresh} in ${restoreSeconds.toFixed(1)} s: ${show(restored)}`);
        exec("dropdb", fresh);
        assert.deepStrictEqual(restored, expected());
        assert.deepStrictEqual(
            titles,
            written.posts.map((post) => post.title),
        );
    });
});
