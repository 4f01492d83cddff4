// The blog's HTTP API through the gateway, as a user calls it: the gateway pod's address and a JSON client
// with an optional bearer token (the real-node suites and scripts/bench-load.ts).
import * as assert from "node:assert";
import { isReady, servingPods } from "./kube";

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
        return {
            status: response.status,
            type: response.headers.get("content-type") ?? "",
            body: Buffer.from(await response.arrayBuffer()),
        };
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
