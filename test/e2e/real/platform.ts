// What the real-node platform suites share: deploy a throw-away copy of a stack and wait for it, find its
// pods and the gateway's address, and talk to the blog's API through the gateway like a user.
import * as assert from "assert";
import * as http from "http";
import * as path from "path";
import * as zlib from "zlib";
import { localProdOverrides, readProdStackFile } from "../../../scripts/lib/local-prod";
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

// ---- local prod on the real node (platform-prod.test.ts, scripts/bench-load.ts) ----

/** `pulumi up` of a copy of prod with the local overrides of scripts/lib/local-prod.ts (and any `extra`). */
export function deployLocalProd(name: string, extra: Record<string, unknown> = {}): DeployedStack {
    const overrides = localProdOverrides(readProdStackFile().config, path.join(REPO_ROOT, ".state", "images.json"));
    return deployStack("prod", name, { ...overrides, ...extra });
}

/**
 * Destroys a prod copy, whose data protection refuses a plain destroy and retains the namespace, the
 * database and its claims: unprotect, destroy, then delete what was retained. Never fails (after() calls it).
 */
export function destroyProtectedStack(deployed: DeployedStack | undefined): void {
    if (!deployed) {
        return;
    }
    pulumi(["state", "unprotect", "--all", "--yes", "--stack", deployed.stack], REPO_ROOT, { mayFail: true });
    destroyStack(deployed);
    kubectl(["delete", "namespace", deployed.namespace, `${deployed.namespace}-monitoring`, "--ignore-not-found", "--wait=true"], {
        mayFail: true,
    });
}

/** The node's Traefik (scripts/cluster): Ingresses of class traefik are served here. */
export const INGRESS_ADDRESS = { host: "127.0.0.1", port: 18080 };

/** A GET through the node's Traefik with a Host header, as a browser sent to the Ingress host would make. */
export function ingressGet(route: string, host: string): Promise<Reply> {
    return new Promise((resolve, reject) => {
        const request = http.get({ ...INGRESS_ADDRESS, path: route, headers: { host }, timeout: 15_000 }, (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("end", () =>
                resolve({ status: response.statusCode ?? 0, type: response.headers["content-type"] ?? "", body: Buffer.concat(chunks) }),
            );
        });
        request.on("timeout", () => request.destroy(new Error(`GET ${route} (Host ${host}) through Traefik timed out`)));
        request.on("error", reject);
    });
}
