// What the real-node platform suites share: deploy a throw-away copy of a stack and wait for it, find its
// pods and the gateway's address, and talk to the blog's API through the gateway like a user.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import * as zlib from "zlib";
import { REPO_ROOT } from "../../helpers/stack-config";
import { kubectl, pulumi, requireLocalCluster } from "../helpers";
import { removeStack, stackFrom } from "../stacks";

export interface Pod {
    metadata: { name: string; labels?: Record<string, string>; ownerReferences?: { kind: string }[] };
    status: { phase: string; conditions?: { type: string; status: string }[]; podIP?: string };
}

export interface DeployedStack {
    stack: string;
    namespace: string;
    /** Seconds `pulumi up` took. */
    upSeconds: number;
}

/** `pulumi up` of a throw-away copy of the dev or prod stack (`e2e-<name>` in namespace `blog-e2e-<name>`). */
export function deployStack(base: "dev" | "prod", name: string, overrides: Record<string, unknown> = {}): DeployedStack {
    requireLocalCluster();
    const stack = stackFrom(base, overrides, name);
    const started = Date.now();
    pulumi(["up", "--yes", "--skip-preview", "--stack", stack], REPO_ROOT);
    return { stack, namespace: `blog-${stack}`, upSeconds: (Date.now() - started) / 1000 };
}

/** Destroys what deployStack made and forgets the stack; never fails (an after() hook calls it). */
export function destroyStack(deployed: { stack: string } | undefined): void {
    if (!deployed) {
        return;
    }
    pulumi(["destroy", "--yes", "--skip-preview", "--stack", deployed.stack], REPO_ROOT, { mayFail: true });
    removeStack(deployed.stack);
}

/** The namespace's pods that serve (a migration Job's pods are left out). */
export function servingPods(namespace: string): Pod[] {
    const pods = JSON.parse(kubectl(["-n", namespace, "get", "pods", "-o", "json"]).stdout) as { items: Pod[] };
    return pods.items.filter((pod) => !pod.metadata.ownerReferences?.some((owner) => owner.kind === "Job"));
}

export function isReady(pod: Pod): boolean {
    return pod.status.phase === "Running" && !!pod.status.conditions?.some((c) => c.type === "Ready" && c.status === "True");
}

/** The gateway's address seen from this machine (the host reaches pod IPs through the node's bridge). */
export function gatewayUrl(namespace: string): string {
    const gateway = servingPods(namespace).find((pod) => pod.metadata.name.startsWith("gateway-") && isReady(pod));
    assert.ok(gateway?.status.podIP, `no Ready gateway pod in ${namespace}`);
    return `http://${gateway.status.podIP}:8080`;
}

export interface Reply {
    status: number;
    type: string;
    body: Buffer;
}

/** A user of the blog's HTTP API through the gateway: JSON in and out, an optional bearer token. */
export class BlogClient {
    token?: string;

    constructor(readonly baseUrl: string) {}

    async call(method: string, route: string, body?: unknown, contentType = "application/json"): Promise<Reply> {
        const response = await fetch(`${this.baseUrl}${route}`, {
            method,
            headers: {
                ...(body !== undefined ? { "content-type": contentType } : {}),
                ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
            },
            body: body === undefined ? undefined : Buffer.isBuffer(body) ? body : JSON.stringify(body),
            signal: AbortSignal.timeout(15_000),
        });
        return { status: response.status, type: response.headers.get("content-type") ?? "", body: Buffer.from(await response.arrayBuffer()) };
    }

    /** Calls and asserts the status, returning the parsed JSON body. */
    async expect(status: number, method: string, route: string, body?: unknown, contentType?: string): Promise<Record<string, unknown>> {
        const reply = await this.call(method, route, body, contentType);
        assert.strictEqual(reply.status, status, `${method} ${route}: ${reply.body.toString()}`);
        return reply.body.length ? (JSON.parse(reply.body.toString("utf8")) as Record<string, unknown>) : {};
    }

    /** Registers a fresh user and keeps its token for the calls that follow. */
    async signUp(prefix = "reader"): Promise<{ username: string; password: string }> {
        const user = { username: `${prefix}${Date.now()}${Math.floor(Math.random() * 1000)}`, password: "a long enough password" };
        await this.expect(201, "POST", "/api/auth/register", user);
        this.token = (await this.expect(200, "POST", "/api/auth/login", user)).token as string;
        return user;
    }
}

/** A small valid PNG (a colour gradient), so the image service has something real to decode and resize. */
export function png(width: number, height: number): Buffer {
    const chunk = (type: string, data: Buffer) => {
        const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
        const length = Buffer.alloc(4);
        length.writeUInt32BE(data.length);
        const crc = Buffer.alloc(4);
        crc.writeUInt32BE(zlib.crc32(body));
        return Buffer.concat([length, body, crc]);
    };
    const header = Buffer.alloc(13);
    header.writeUInt32BE(width, 0);
    header.writeUInt32BE(height, 4);
    header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
    const rows = Array.from({ length: height }, (_, y) =>
        Buffer.from([0, ...Array.from({ length: width }, (_, x) => [x % 256, y % 256, 128]).flat()]),
    );
    return Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        chunk("IHDR", header),
        chunk("IDAT", zlib.deflateSync(Buffer.concat(rows))),
        chunk("IEND", Buffer.alloc(0)),
    ]);
}

// ---- Disturbing a running stack and reading its data back (added for data.test.ts) -------------------

/** Waits until the namespace has serving pods and every one is Ready; returns the seconds it took. */
export async function waitForReadyPods(namespace: string, timeoutMs = 300_000): Promise<number> {
    const started = Date.now();
    for (;;) {
        const pods = servingPods(namespace);
        if (pods.length > 0 && pods.every(isReady)) {
            return (Date.now() - started) / 1000;
        }
        if (Date.now() - started > timeoutMs) {
            const waiting = pods.filter((pod) => !isReady(pod)).map((pod) => `${pod.metadata.name} (${pod.status.phase})`);
            throw new Error(`pods of ${namespace} not Ready after ${timeoutMs / 1000} s: ${waiting.join(", ")}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 2000));
    }
}

/**
 * One SQL statement run by psql inside the database's pod, over its local socket (trusted there, so no
 * password travels); returns psql's unaligned, tuples-only output.
 */
export function sqlInDatabasePod(namespace: string, sql: string, database = "blog", user = "blog"): string {
    return kubectl([
        "-n",
        namespace,
        "exec",
        "postgres-0",
        "-c",
        "postgres",
        "--",
        "psql",
        "--no-psqlrc",
        "-v",
        "ON_ERROR_STOP=1",
        `--username=${user}`,
        `--dbname=${database}`,
        "--tuples-only",
        "--no-align",
        "-c",
        sql,
    ]).stdout.trim();
}

/** `kubectl rollout restart` of every Deployment in the namespace, then each rollout waited for. */
export function restartEveryDeployment(namespace: string, timeoutSeconds = 300): { deployments: string[]; seconds: number } {
    const started = Date.now();
    const deployments = kubectl(["-n", namespace, "get", "deployments", "-o", "name"]).stdout.trim().split("\n").filter(Boolean);
    for (const deployment of deployments) {
        kubectl(["-n", namespace, "rollout", "restart", deployment]);
    }
    for (const deployment of deployments) {
        kubectl(["-n", namespace, "rollout", "status", deployment, `--timeout=${timeoutSeconds}s`]);
    }
    return { deployments: deployments.map((name) => name.replace(/^deployment\.apps\//, "")), seconds: (Date.now() - started) / 1000 };
}

/** Restarts the real node's kubelet the way `scripts/cluster restart-kubelet` does; returns its output and seconds. */
export function restartKubelet(): { seconds: number; output: string } {
    const started = Date.now();
    const result = spawnSync(path.join(REPO_ROOT, "scripts", "cluster"), ["restart-kubelet"], {
        cwd: REPO_ROOT,
        encoding: "utf8",
        timeout: 5 * 60 * 1000,
    });
    assert.strictEqual(result.status, 0, `scripts/cluster restart-kubelet failed:\n${result.stdout}\n${result.stderr}`);
    return { seconds: (Date.now() - started) / 1000, output: `${result.stdout}${result.stderr}` };
}

/** Waits for a Job to succeed; fails as soon as it fails (or times out), with its pods' logs. Returns seconds. */
export async function waitForJob(namespace: string, job: string, timeoutSeconds = 600): Promise<number> {
    const started = Date.now();
    const logs = () => {
        const result = kubectl(["-n", namespace, "logs", `job/${job}`, "--all-containers", "--prefix"], { mayFail: true });
        return `${result.stdout}${result.stderr}`;
    };
    for (;;) {
        const status = JSON.parse(kubectl(["-n", namespace, "get", "job", job, "-o", "json"]).stdout).status as {
            conditions?: { type: string; status: string; message?: string }[];
        };
        const holds = (type: string) => status.conditions?.find((c) => c.type === type && c.status === "True");
        if (holds("Complete")) {
            return (Date.now() - started) / 1000;
        }
        const failed = holds("Failed");
        if (failed) {
            throw new Error(`job ${job} failed (${failed.message ?? "no message"}):\n${logs()}`);
        }
        if (Date.now() - started > timeoutSeconds * 1000) {
            throw new Error(`job ${job} did not finish within ${timeoutSeconds} s:\n${logs()}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
    }
}
