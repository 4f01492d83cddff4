// The public surface of a deployed stack: every internal path of every workload must be unserved (404)
// through the public entry (the gateway on dev, the Ingress on prod) and 200 on the pod's own port.
//
// Nothing here lists the internal paths by hand. They are read off the live pods (each HTTP probe's path
// and port, the scrape annotation's path and port) and the platform's admin contract (ADMIN_PATHS, which
// services/test holds every Node service to); the public prefixes come from the route table the gateway's
// config is generated from. A new probe, scrape path or admin endpoint is therefore checked as soon as it
// exists, and a route that leads to one fails here.
import * as assert from "node:assert";
import { GATEWAY_PUBLIC_PATHS } from "../../../components/gateway/spec";
import { ADMIN_PATHS, ADMIN_PORT, BACKEND_SERVICES } from "../../../components/shared/topology";
import { DEFAULTS } from "../../../config/defaults";
import { kubectl } from "../helpers";
import type { Reply } from "../../../harness/blog-client";

interface LivePod {
    metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: { kind: string }[] };
    spec: { containers: LiveContainer[] };
    status: { podIP?: string };
}
type LiveProbe = { httpGet?: { path?: string; port: number | string } } | undefined;
interface LiveContainer {
    name: string;
    ports?: { name?: string; containerPort: number }[];
    livenessProbe?: LiveProbe;
    readinessProbe?: LiveProbe;
    startupProbe?: LiveProbe;
}

/** One internal endpoint of a workload: where it answers (a pod's IP and port) and why it is internal. */
export interface InternalEndpoint {
    workload: string;
    pod: string;
    podIP: string;
    port: number;
    path: string;
    /** What declares it: a probe, the scrape annotation, or the admin contract. */
    source: string;
}

/** The internal endpoints of the namespace's serving pods (a Job's pods are left out), one pod per workload. */
export function internalEndpoints(namespace: string): InternalEndpoint[] {
    const pods = (JSON.parse(kubectl(["-n", namespace, "get", "pods", "-o", "json"]).stdout) as { items: LivePod[] }).items.filter(
        (pod) => !pod.metadata.ownerReferences?.some((owner) => owner.kind === "Job") && pod.status.podIP,
    );
    const found = new Map<string, InternalEndpoint>();
    const add = (endpoint: InternalEndpoint) => {
        const key = `${endpoint.workload} ${endpoint.port} ${endpoint.path}`;
        if (!found.has(key)) {
            found.set(key, endpoint);
        }
    };
    for (const pod of pods) {
        const workload = pod.metadata.labels?.["app.kubernetes.io/name"] ?? pod.metadata.name;
        const at = { workload, pod: pod.metadata.name, podIP: pod.status.podIP as string };
        for (const container of pod.spec.containers) {
            const portOf = (port: number | string) =>
                typeof port === "number" ? port : container.ports?.find((p) => p.name === port)?.containerPort;
            for (const [kind, probe] of Object.entries({
                liveness: container.livenessProbe,
                readiness: container.readinessProbe,
                startup: container.startupProbe,
            })) {
                const port = probe?.httpGet && portOf(probe.httpGet.port);
                if (probe?.httpGet && port !== undefined) {
                    add({ ...at, port, path: probe.httpGet.path ?? "/", source: `${container.name}'s ${kind} probe` });
                }
            }
        }
        const annotations = pod.metadata.annotations ?? {};
        if (annotations["prometheus.io/scrape"] === "true") {
            add({
                ...at,
                port: Number(annotations["prometheus.io/port"]),
                path: annotations["prometheus.io/path"] ?? "/metrics",
                source: "the scrape annotation",
            });
        }
        if ((BACKEND_SERVICES as readonly string[]).includes(workload)) {
            for (const [name, path] of Object.entries(ADMIN_PATHS)) {
                add({ ...at, port: ADMIN_PORT, path, source: `the admin contract (${name})` });
            }
        }
    }
    return [...found.values()];
}

/**
 * The public entry does not serve the path: a 404 (the services refuse their admin paths on the public port
 * before any route, such as blog's `/:id`, can match them). Anything else, a 200 above all, is an exposure.
 */
export function notServed(reply: Reply): boolean {
    return reply.status === 404;
}

/** Where an internal path of a workload would be public: under each route to it, and at the root for the gateway. */
export function publicPathsOf(endpoint: InternalEndpoint, routes: readonly { path: string; service: string }[]): string[] {
    const prefixes =
        endpoint.workload === "gateway" ? ["/"] : routes.filter((route) => route.service === endpoint.workload).map((r) => r.path);
    return prefixes.map((prefix) => `${prefix.replace(/\/$/, "")}${endpoint.path}`);
}

/**
 * Asks the public entry (`get`) for every internal path, expecting it unserved (notServed), and each pod's own port for it,
 * expecting 200; prints one line per endpoint. The gateway's own GATEWAY_PUBLIC_PATHS (its static /health,
 * the entry's liveness for load balancers) are public by design and named in the output.
 */
export async function assertPublicSurface(
    namespace: string,
    entry: string,
    get: (path: string) => Promise<Reply>,
    routes: readonly { path: string; service: string }[] = DEFAULTS.routes,
): Promise<void> {
    const endpoints = internalEndpoints(namespace);
    const workloads = new Set(endpoints.map((endpoint) => endpoint.workload));
    assert.ok(workloads.has("gateway") && workloads.size >= 6, `too few workloads with internal endpoints: ${[...workloads].join(", ")}`);
    const exposed: string[] = [];
    const unanswered: string[] = [];
    let checked = 0;
    for (const endpoint of endpoints) {
        const direct = await fetch(`http://${endpoint.podIP}:${endpoint.port}${endpoint.path}`, { signal: AbortSignal.timeout(10_000) })
            .then((response) => response.status)
            .catch((error: Error) => error.message);
        if (direct !== 200) {
            unanswered.push(`${endpoint.pod}:${endpoint.port}${endpoint.path} (${endpoint.source}) answered ${direct}`);
        }
        const answers: string[] = [];
        for (const path of publicPathsOf(endpoint, routes)) {
            if ((GATEWAY_PUBLIC_PATHS as readonly string[]).includes(path)) {
                answers.push(`${path} public by design (the gateway's own)`);
                continue;
            }
            const reply = await get(path);
            checked++;
            answers.push(`${path} ${reply.status}`);
            if (!notServed(reply)) {
                exposed.push(
                    `${entry} ${path} answered ${reply.status} (${endpoint.workload}'s ${endpoint.path}, ${endpoint.source}): ` +
                        reply.body.toString().slice(0, 80),
                );
            }
        }
        console.log(
            `      ${endpoint.workload} :${endpoint.port}${endpoint.path} (${endpoint.source}) → pod ${direct}; ` +
                `${entry}: ${answers.join(", ") || "no route"}`,
        );
    }
    console.log(`      ${checked} public paths checked through the ${entry}, ${endpoints.length} internal endpoints`);
    assert.deepStrictEqual(exposed, [], "internal endpoints answer through the public entry");
    assert.deepStrictEqual(unanswered, [], "internal endpoints do not answer on the pod");
}
