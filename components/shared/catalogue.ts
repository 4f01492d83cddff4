// The workload catalogue: every workload of the platform named once, with what the rest of the tree derives
// from it (the service graph, default resources and routes, image names, the image scripts' list, the tests').
import { type ResourceSpec, resourceSpec } from "./resources";

/** The port every HTTP service serves its main protocol on. */
export const SERVICE_PORT = 8080;
/**
 * Every HTTP service's admin port: its probes (and a Node.js service's /metrics) are served there, on a
 * listener of its own, never on the main port. The gateway passes every path under a route's prefix to
 * the service behind it, so whatever the main port serves is public; no Service port, gateway route or
 * Ingress points at this one, and the NetworkPolicies admit it only from the monitoring namespace (the
 * kubelet's probes come from the node, which NetworkPolicy always admits).
 */
export const ADMIN_PORT = 9464;
/** The gateway's metrics: its exporter sidecar's port. */
export const GATEWAY_EXPORTER_PORT = 4040;

/** The data stores, each with a component of its own (components/postgres, components/redis). */
export const DATA_STORES = {
    postgres: { port: 5432, image: "postgres" },
    redis: { port: 6379, image: "redis" },
} as const satisfies Record<string, { port: number; image: string }>;
export type DataStoreName = keyof typeof DATA_STORES;

/** One stateless service, deployed with the StatelessService component. */
export interface ServiceEntry<Callee extends string = string> {
    /**
     * Its image's name in the image lock and in `scripts/images`: `services/<name>/` when `runtime` says the
     * image is built from the service's own folder, else a recipe under `images/`.
     */
    image: string;
    /**
     * What runs in it. `node`: a Node.js backend under services/ (built on node-runtime, reads the runtime
     * contract's environment); `static`: a site under services/ served by nginx; `nginx`: the upstream image.
     */
    runtime: "node" | "static" | "nginx";
    /** The port it serves its main protocol on. */
    port: number;
    /** Where it serves Prometheus metrics; none when undefined. */
    metricsPort?: number;
    /** What it calls (besides the gateway's routes, which come from config): its outgoing edges. */
    calls: readonly Callee[];
    /** Whether it owns tables: a `<name>-migrate` Job applies its schema before its Deployment rolls. */
    migrates: boolean;
    /** Its container's default requests and limits (a stack overrides them under `blog:services`). */
    resources: ResourceSpec;
    /** The gateway's default route prefix to it; the catch-all `/` is routed last. None when undefined. */
    route?: string;
    /** Its CPU request on the local cluster's one node (scripts/lib/local-prod.ts); limits stay prod's. */
    localCpuRequest: string;
}

/** Checks every callee against the catalogue's own names at compile time. */
const services = <const T extends Record<string, ServiceEntry<Extract<keyof T, string> | DataStoreName>>>(entries: T): T => entries;

/**
 * The services, in the order the platform registers them. Resources: requests are what a pod uses at the
 * reference's capacity table's rate (what the scheduler places by); limits are sized from docs/load.md's
 * measurement of prod on the real node (scripts/bench-load.ts), so that one gateway pod in front of each
 * service's replicas meets every row of the table with margin (p95 at most 0.8x the reference at its
 * rate, saturation at least 1.2x its RPS). A limit is a CFS quota per 100 ms period: a container whose
 * burst uses it up waits out the rest of the period, which is what put prod's p95 at 64-72 ms with the old
 * 2x-the-request limits. Local CPU requests: prod's replica counts (16 service pods) at prod's requests ask
 * for 2.86 CPUs in all, and the node has 2 allocatable, 0.13 of them taken by its add-ons; with the local
 * requests the stack requests 1.50 CPUs.
 */
export const SERVICES = services({
    gateway: {
        // nginx-unprivileged is the upstream nginx build that runs as UID 101 and listens on 8080, so the
        // gateway needs neither root nor NET_BIND_SERVICE (the reference's nginx:alpine runs as root).
        image: "nginx-unprivileged",
        runtime: "nginx",
        port: SERVICE_PORT,
        metricsPort: GATEWAY_EXPORTER_PORT,
        calls: [],
        migrates: false,
        // nginx at about 130 µs of CPU per proxied request: the table's 2,400 RPS (blog at 1.2x) needs a
        // third of a CPU; one whole CPU is one worker (workerProcessesFor) with no throttling at that rate.
        // The request stays the reference's 50m.
        resources: resourceSpec("50m", "64Mi", "1", "128Mi"),
        localCpuRequest: "20m",
    },
    frontend: {
        image: "frontend",
        runtime: "static",
        port: SERVICE_PORT,
        // Static nginx serving the SPA: no metrics.
        calls: [],
        migrates: false,
        // Static files only, not in the table.
        resources: resourceSpec("50m", "64Mi", "100m", "128Mi"),
        route: "/",
        localCpuRequest: "20m",
    },
    auth: {
        image: "auth",
        runtime: "node",
        port: SERVICE_PORT,
        metricsPort: ADMIN_PORT,
        calls: ["postgres", "redis"],
        migrates: true,
        // A Node service is one event loop: it cannot use much more than one CPU, and below that its
        // bursts are throttled. auth's /me is an EdDSA verify, ~400 µs of CPU per request.
        resources: resourceSpec("100m", "128Mi", "1", "256Mi"),
        route: "/api/auth/",
        localCpuRequest: "40m",
    },
    blog: {
        image: "blog",
        runtime: "node",
        port: SERVICE_PORT,
        metricsPort: ADMIN_PORT,
        // blog, comment and image verify tokens with auth's JWKS (services/README.md, "Decisions").
        calls: ["postgres", "redis", "auth", "image"],
        migrates: true,
        // blog's front page from Redis, ~300 µs of CPU per request; 2,400 RPS over 3 pods.
        resources: resourceSpec("200m", "256Mi", "1", "512Mi"),
        route: "/api/posts/",
        localCpuRequest: "60m",
    },
    comment: {
        image: "comment",
        runtime: "node",
        port: SERVICE_PORT,
        metricsPort: ADMIN_PORT,
        // comment checks that a post exists by calling blog.
        calls: ["postgres", "auth", "blog"],
        migrates: true,
        // A PostgreSQL query per request, ~400 µs of CPU per request in comment itself.
        resources: resourceSpec("100m", "128Mi", "1", "256Mi"),
        route: "/api/comments/",
        localCpuRequest: "40m",
    },
    image: {
        image: "image",
        runtime: "node",
        port: SERVICE_PORT,
        metricsPort: ADMIN_PORT,
        calls: ["postgres", "auth"],
        migrates: true,
        // image-processing is CPU-bound (sharp), hence its ceiling; not in the table.
        resources: resourceSpec("250m", "256Mi", "1", "1Gi"),
        route: "/api/images/",
        localCpuRequest: "60m",
    },
});

export type ServiceName = keyof typeof SERVICES;
type Entries = typeof SERVICES;
/** The names of the services whose entry matches `M`. */
export type ServicesWhere<M> = { [N in ServiceName]: Entries[N] extends M ? N : never }[ServiceName];

/** The service names in catalogue order. */
export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];

/** A service's entry, read through the entry type (every optional field present, possibly undefined). */
export const serviceEntry = (name: ServiceName): ServiceEntry<ServiceName | DataStoreName> => SERVICES[name];

/** `value` of every service's entry, keyed by service, in catalogue order. */
export function perService<V>(value: (entry: ServiceEntry<ServiceName | DataStoreName>, name: ServiceName) => V): Record<ServiceName, V> {
    return Object.fromEntries(SERVICE_NAMES.map((name) => [name, value(serviceEntry(name), name)])) as Record<ServiceName, V>;
}

/** The services whose entry satisfies `test`, in catalogue order. */
export function servicesWhere<M>(test: (entry: ServiceEntry) => boolean): ServicesWhere<M>[] {
    return SERVICE_NAMES.filter((name) => test(serviceEntry(name))) as ServicesWhere<M>[];
}

/** What the shell scripts read (scripts/lib/catalogue.ts writes it as JSON): the images built from services/. */
export function shellCatalogue(): { services: string[] } {
    return { services: servicesWhere((entry) => entry.runtime !== "nginx").map((name) => SERVICES[name].image) };
}
