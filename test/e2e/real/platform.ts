// What the real-node platform suites share: deploy a throw-away copy of a stack and wait for it, find its
// pods and the gateway's address, and talk to the blog's API through the gateway like a user.
import * as assert from "assert";
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

// ---- Monitoring (helper "mon"): secret config, port-forwards, Prometheus's HTTP API, a webhook receiver ----
// Imports sit here, not at the top, so this block stays separate from what other suites add above.
import { spawn } from "child_process";
import * as http from "http";
import type { AddressInfo } from "net";
import { KUBECONFIG } from "../helpers";

/** deployStack, with secret config values (`pulumi config set --secret --path`) set before `pulumi up`. */
export function deployStackWithSecrets(
    base: "dev" | "prod",
    name: string,
    overrides: Record<string, unknown>,
    secrets: Record<string, string>,
): DeployedStack {
    requireLocalCluster();
    const stack = stackFrom(base, overrides, name);
    for (const [configPath, value] of Object.entries(secrets)) {
        pulumi(["config", "set", "--secret", "--path", "--stack", stack, configPath, value], REPO_ROOT);
    }
    const started = Date.now();
    pulumi(["up", "--yes", "--skip-preview", "--stack", stack], REPO_ROOT);
    return { stack, namespace: `blog-${stack}`, upSeconds: (Date.now() - started) / 1000 };
}

export interface PortForward {
    /** http://127.0.0.1:<local port> */
    url: string;
    close(): void;
}

/**
 * `kubectl port-forward` of a pod's port to a free port on 127.0.0.1. It enters the pod through the kubelet,
 * so the pod's NetworkPolicy (which may admit no one outside its namespace) is not in the way.
 */
export async function portForward(namespace: string, target: string, port: number): Promise<PortForward> {
    const child = spawn("kubectl", ["--kubeconfig", KUBECONFIG, "-n", namespace, "port-forward", "--address", "127.0.0.1", target, `:${port}`], {
        stdio: ["ignore", "pipe", "pipe"],
    });
    const close = () => {
        if (child.exitCode === null) {
            child.kill();
        }
    };
    let output = "";
    const local = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`port-forward ${target}: no port after 20 s: ${output}`)), 20_000);
        const read = (chunk: Buffer) => {
            output += chunk.toString();
            const match = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(output);
            if (match) {
                clearTimeout(timer);
                resolve(Number(match[1]));
            }
        };
        child.stdout.on("data", read);
        child.stderr.on("data", read);
        child.on("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`port-forward ${target} exited ${code}: ${output}`));
        });
    }).catch((error) => {
        close();
        throw error;
    });
    return { url: `http://127.0.0.1:${local}`, close };
}

export interface Sample {
    metric: Record<string, string>;
    value: [number, string];
}

export interface PrometheusAlert {
    labels: Record<string, string>;
    state: "pending" | "firing";
    activeAt: string;
}

export interface ScrapeTarget {
    labels: Record<string, string>;
    scrapeUrl: string;
    health: "up" | "down" | "unknown";
    lastError: string;
}

/** Prometheus's HTTP API (/api/v1): instant queries, active targets and alerts. */
export class PrometheusApi {
    constructor(readonly baseUrl: string) {}

    private async get<T>(path: string): Promise<T> {
        const response = await fetch(`${this.baseUrl}/api/v1/${path}`, { signal: AbortSignal.timeout(15_000) });
        const body = (await response.json()) as { status: string; data: T; error?: string };
        assert.strictEqual(body.status, "success", `GET /api/v1/${path}: ${body.error ?? response.status}`);
        return body.data;
    }

    /** An instant query's vector (scalars come back as one sample without labels). */
    async query(expr: string): Promise<Sample[]> {
        const data = await this.get<{ resultType: string; result: Sample[] | [number, string] }>(`query?query=${encodeURIComponent(expr)}`);
        return data.resultType === "vector" ? (data.result as Sample[]) : [{ metric: {}, value: data.result as [number, string] }];
    }

    async targets(): Promise<ScrapeTarget[]> {
        return (await this.get<{ activeTargets: ScrapeTarget[] }>("targets?state=active")).activeTargets;
    }

    async alerts(): Promise<PrometheusAlert[]> {
        return (await this.get<{ alerts: PrometheusAlert[] }>("alerts")).alerts;
    }

    /** Every rule with its health and last evaluation error, as "group/name: health error". */
    async ruleHealth(): Promise<string[]> {
        const data = await this.get<{ groups: { name: string; rules: { name: string; health: string; lastError?: string }[] }[] }>("rules");
        return data.groups.flatMap((g) => g.rules.map((r) => `${g.name}/${r.name}: ${r.health}${r.lastError ? ` ${r.lastError}` : ""}`));
    }
}

/** One notification Alertmanager POSTed (its webhook payload, version 4), with when it arrived. */
export interface Notification {
    receivedAt: number;
    status: "firing" | "resolved";
    alerts: { status: "firing" | "resolved"; labels: Record<string, string> }[];
}

/** An HTTP receiver for Alertmanager's webhooks, on an address pods can reach (the node's bridge, never 0.0.0.0). */
export class WebhookReceiver {
    readonly notifications: Notification[] = [];
    private server?: http.Server;

    /** Listens on `host` at a free port and returns the URL to configure. */
    async listen(host: string, path = "/alertmanager"): Promise<string> {
        this.server = http.createServer((request, response) => {
            let body = "";
            request.on("data", (chunk: Buffer) => {
                body += chunk.toString();
            });
            request.on("end", () => {
                if (request.method === "POST" && request.url === path) {
                    try {
                        this.notifications.push({ ...(JSON.parse(body) as Omit<Notification, "receivedAt">), receivedAt: Date.now() });
                    } catch {
                        // A body that is not JSON is not a notification; Alertmanager never sends one.
                    }
                }
                response.writeHead(200).end();
            });
        });
        const server = this.server;
        await new Promise<void>((resolve, reject) => {
            server.once("error", reject);
            server.listen(0, host, () => resolve());
        });
        return `http://${host}:${(server.address() as AddressInfo).port}${path}`;
    }

    /** The first notification at or after `since` carrying an alert that `matches` in `status`. */
    find(status: "firing" | "resolved", matches: (labels: Record<string, string>) => boolean, since = 0): Notification | undefined {
        return this.notifications.find(
            (n) => n.receivedAt >= since && n.alerts.some((alert) => alert.status === status && matches(alert.labels)),
        );
    }

    close(): void {
        this.server?.close();
        this.server?.closeAllConnections();
    }
}

/** Polls `probe` every `everyMs` until it returns a value, or fails after `timeoutMs` naming `what`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, everyMs = 2000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    while (Date.now() < deadline) {
        try {
            const value = await probe();
            if (value !== undefined) {
                return value;
            }
        } catch (error) {
            lastError = error;
        }
        await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
    throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ""}`);
}
