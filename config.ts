// The one typed, validated view of stack config: a pure parseConfig(raw) plus a thin loadConfig().
import * as pulumi from "@pulumi/pulumi";
import type { AlertReceiver } from "./components/monitoring/alertmanager-config";
import { AlertThresholds } from "./components/monitoring/rules";
import { ResourceSpec } from "./components/shared/resources";
import { ROUTABLE_SERVICES, RoutableService, SERVICE_NAMES, ServiceName } from "./components/shared/topology";
import { parseMonitoring } from "./config/monitoring";
import { ConfigError, Problems, PROJECT } from "./config/problems";
import { DNS_LABEL, Raw, Reader } from "./config/reader";

export { ConfigError, PROJECT };

export type Environment = "dev" | "prod";
export type GatewayExposure = "ClusterIP" | "LoadBalancer" | "Ingress";


export interface ServiceConfig {
    /** Fully qualified image reference with a pinned tag or digest. */
    image: string;
    /** Replicas when autoscaling is off; the HPA's floor is minReplicas when it is on. */
    replicas: number;
    minReplicas: number;
    maxReplicas: number;
    resources: ResourceSpec;
}

export interface Route {
    /** URL prefix, starting and ending with "/". */
    path: string;
    service: RoutableService;
}

export interface DataStoreConfig {
    image: string;
    storageSize: string;
    /** StorageClass for the claims; undefined means the cluster's default class. */
    storageClass?: string;
    resources: ResourceSpec;
}

export interface PlatformConfig {
    environment: Environment;
    namespace: string;
    cluster: { kubeconfig?: string; context?: string };
    services: Record<ServiceName, ServiceConfig>;
    autoscaling: boolean;
    spreadAcrossNodes: boolean;
    verticalPodAutoscaling: boolean;
    /** Protect the database, its claims and the namespace from deletion and replacement. */
    dataProtection: boolean;
    /** Keeper for generated secrets: changing it rotates every generated password and key. */
    secretsRotation: string;
    postgres: DataStoreConfig & { database: string; user: string };
    redis: DataStoreConfig & { persistence: boolean };
    gateway: {
        exposure: GatewayExposure;
        domain?: string;
        ingressClassName?: string;
        tlsSecretName?: string;
        routes: Route[];
    };
    /** Namespace of the monitoring stack, admitted to metrics ports; undefined when monitoring is off. */
    monitoringNamespace?: string;
    monitoring: MonitoringConfig;
}

/** The monitoring stack (blog:monitoring); see components/monitoring and docs/monitoring.md. */
export interface MonitoringConfig {
    enabled: boolean;
    namespace: string;
    /** Prometheus durations, e.g. "30s" and "15d". */
    scrapeInterval: string;
    retention: string;
    storageSize: string;
    /** StorageClass of Prometheus's claim; undefined means the cluster's default class. */
    storageClass?: string;
    prometheusResources: ResourceSpec;
    /** CIDR of the API server and kubelets, for Prometheus's and kube-state-metrics' egress. */
    nodeCidr: string;
    alerts: AlertThresholds;
    /** Webhook receivers; their URLs are secrets, so the component only ever puts them in a Secret. */
    receivers: AlertReceiver[];
}

const resources = (cpu: string, memory: string, cpuLimit: string, memoryLimit: string): ResourceSpec => ({
    requests: { cpu, memory },
    limits: { cpu: cpuLimit, memory: memoryLimit },
});

/**
 * Defaults applied under stack config. Requests for gateway, auth, blog and comment are the reference's
 * capacity table; limits leave 2x headroom for bursts. image-processing is CPU-bound, hence its ceiling.
 */
export const DEFAULTS = {
    namespace: "blog",
    imageRegistry: "registry.example.com/blog",
    services: {
        gateway: resources("50m", "64Mi", "100m", "128Mi"),
        frontend: resources("50m", "64Mi", "100m", "128Mi"),
        auth: resources("100m", "128Mi", "200m", "256Mi"),
        blog: resources("200m", "256Mi", "400m", "512Mi"),
        comment: resources("100m", "128Mi", "200m", "256Mi"),
        image: resources("250m", "256Mi", "1", "1Gi"),
    } satisfies Record<ServiceName, ResourceSpec>,
    // nginx-unprivileged is the upstream nginx build that runs as UID 101 and listens on 8080, so the
    // gateway needs neither root nor NET_BIND_SERVICE (the reference's nginx:alpine runs as root).
    gatewayImage: "docker.io/nginxinc/nginx-unprivileged:1.27.3-alpine",
    postgres: {
        image: "docker.io/library/postgres:16.6-bookworm",
        storageSize: "1Gi",
        database: "blog",
        user: "blog",
        resources: resources("250m", "512Mi", "1", "1Gi"),
    },
    redis: {
        image: "docker.io/library/redis:7.4.2-bookworm",
        storageSize: "1Gi",
        persistence: false,
        resources: resources("100m", "128Mi", "250m", "256Mi"),
    },
    routes: [
        { path: "/api/auth/", service: "auth" },
        { path: "/api/posts/", service: "blog" },
        { path: "/api/comments/", service: "comment" },
        { path: "/api/images/", service: "image" },
        { path: "/", service: "frontend" },
    ] satisfies Route[],
    secretsRotation: "initial",
} as const;

/** Parses and validates raw stack config (keys like "blog:services"); throws ConfigError listing every problem. */
export function parseConfig(raw: Raw): PlatformConfig {
    const p = new Problems();
    const known = new Set(Object.keys(CONFIG_KEYS));
    for (const key of Object.keys(raw)) {
        const [ns, name] = key.split(":");
        if (ns === PROJECT && !known.has(name)) {
            p.add(name, `be one of the keys declared in Pulumi.yaml (${[...known].join(", ")})`, raw[key] === undefined ? undefined : "…",
                `Remove it with: pulumi config rm ${name}`);
        }
    }
    const r = new Reader(raw, p);

    const environment = r.oneOf("environment", ["dev", "prod"] as const, undefined);
    const prod = environment === "prod";
    const namespace = r.string("namespace", DEFAULTS.namespace, DNS_LABEL, "be a DNS-1123 label (lowercase letters, digits, '-')");
    const kubeconfig = r.optionalString("kubeconfig");
    const context = r.optionalString("kubeContext");
    const registry = r.string("imageRegistry", DEFAULTS.imageRegistry, /^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)*$/, "be a registry host with an optional path");
    const imageTag = r.optionalString("imageTag");
    const autoscaling = r.boolean("autoscaling", false);
    const spreadAcrossNodes = r.boolean("spreadAcrossNodes", false);
    const verticalPodAutoscaling = r.boolean("verticalPodAutoscaling", false);
    const dataProtection = r.boolean("dataProtection", false);
    const secretsRotation = r.string("secretsRotation", DEFAULTS.secretsRotation, /^\S+$/, "be a non-empty word");
    const monitoringNamespace = r.optionalString("monitoringNamespace");
    const monitoring = parseMonitoring(r, p, namespace);
    if (monitoring.enabled && monitoringNamespace !== undefined && monitoringNamespace !== monitoring.namespace) {
        p.add("monitoringNamespace", `be empty or equal monitoring.namespace (${monitoring.namespace}) when monitoring.enabled is true`, monitoringNamespace,
            "Remove it with: pulumi config rm monitoringNamespace");
    }
    if (prod && !dataProtection) {
        p.add("dataProtection", "be true in prod, so the database and its claims cannot be deleted by an update", false,
            p.setHint("dataProtection", "true"));
    }

    const servicesRaw = r.object("services");
    for (const name of Object.keys(servicesRaw)) {
        if (!(SERVICE_NAMES as readonly string[]).includes(name)) {
            p.add(`services.${name}`, `name a platform service (${SERVICE_NAMES.join(", ")})`, name, `Fix the name or run: pulumi config rm --path 'services.${name}'`);
        }
    }
    const minReplicasFloor = prod ? 2 : 1;
    const services = Object.fromEntries(
        SERVICE_NAMES.map((name) => {
            const o = new Reader((servicesRaw[name] ?? {}) as Record<string, unknown>, p, `services.${name}.`);
            const defaultImage = name === "gateway" ? DEFAULTS.gatewayImage : imageTag ? `${registry}/${name}:${imageTag}` : undefined;
            const image = o.image("image", defaultImage, name === "gateway" ? "" : "or set imageTag");
            const replicas = o.integer("replicas", minReplicasFloor, minReplicasFloor, prod ? "in prod" : "");
            const minReplicas = o.integer("minReplicas", replicas, minReplicasFloor, prod ? "in prod" : "");
            const maxReplicas = o.integer("maxReplicas", Math.max(minReplicas, replicas * 3), 1, "");
            if (maxReplicas < minReplicas) {
                p.add(`services.${name}.maxReplicas`, `be at least minReplicas (${minReplicas})`, maxReplicas,
                    p.setHint(`services.${name}.maxReplicas`, String(minReplicas)));
            }
            return [name, { image, replicas, minReplicas, maxReplicas, resources: o.resources("resources", DEFAULTS.services[name]) }];
        }),
    ) as Record<ServiceName, ServiceConfig>;
    if (prod && !autoscaling) {
        p.add("autoscaling", "be true in prod, so services scale with load", false, p.setHint("autoscaling", "true"));
    }

    const pg = new Reader(r.object("postgres"), p, "postgres.");
    const postgres = {
        image: pg.image("image", DEFAULTS.postgres.image, ""),
        storageSize: pg.quantity("storageSize", DEFAULTS.postgres.storageSize, "memory"),
        storageClass: pg.optionalString("storageClass"),
        database: pg.string("database", DEFAULTS.postgres.database, /^[a-z_][a-z0-9_]*$/, "be a lowercase SQL identifier"),
        user: pg.string("user", DEFAULTS.postgres.user, /^[a-z_][a-z0-9_]*$/, "be a lowercase SQL identifier"),
        resources: pg.resources("resources", DEFAULTS.postgres.resources),
    };
    const rd = new Reader(r.object("redis"), p, "redis.");
    const redis = {
        image: rd.image("image", DEFAULTS.redis.image, ""),
        persistence: rd.boolean("persistence", DEFAULTS.redis.persistence),
        storageSize: rd.quantity("storageSize", DEFAULTS.redis.storageSize, "memory"),
        storageClass: rd.optionalString("storageClass"),
        resources: rd.resources("resources", DEFAULTS.redis.resources),
    };

    const gw = new Reader(r.object("gateway"), p, "gateway.");
    const exposure = gw.oneOf("exposure", ["ClusterIP", "LoadBalancer", "Ingress"] as const, "ClusterIP");
    const domain = gw.optionalString("domain");
    if (exposure === "Ingress" && !domain) {
        p.add("gateway.domain", "be set when gateway.exposure is Ingress (the Ingress host)", domain, p.setHint("gateway.domain", "blog.example.com"));
    } else if (domain !== undefined && !/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/.test(domain)) {
        p.add("gateway.domain", "be a lowercase DNS name", domain, p.setHint("gateway.domain", "blog.example.com"));
    }
    const routes = parseRoutes(gw.raw("routes"), p);
    const ingressClassName = gw.optionalString("ingressClassName");
    const tlsSecretName = gw.optionalString("tlsSecretName");

    if (p.list.length > 0) {
        throw new ConfigError(p.list);
    }
    return {
        environment: environment ?? "dev",
        namespace,
        cluster: { kubeconfig, context },
        services,
        autoscaling,
        spreadAcrossNodes,
        verticalPodAutoscaling,
        dataProtection,
        secretsRotation,
        postgres,
        redis,
        gateway: {
            exposure: exposure ?? "ClusterIP",
            domain,
            ingressClassName,
            tlsSecretName,
            routes,
        },
        monitoringNamespace: monitoring.enabled ? monitoring.namespace : monitoringNamespace,
        monitoring,
    };
}

function parseRoutes(value: unknown, p: Problems): Route[] {
    if (value === undefined) {
        return DEFAULTS.routes.map((route) => ({ ...route }));
    }
    if (!Array.isArray(value) || value.length === 0) {
        p.add("gateway.routes", "be a non-empty list of {path, service}", value, "See Pulumi.yaml for the shape");
        return [];
    }
    const seen = new Set<string>();
    return value.flatMap((entry: unknown, i): Route[] => {
        const key = `gateway.routes[${i}]`;
        const route = (entry ?? {}) as { path?: unknown; service?: unknown };
        let ok = true;
        if (typeof route.path !== "string" || !/^\/([a-z0-9._-]+\/)*$/.test(route.path)) {
            p.add(`${key}.path`, "be a URL prefix that starts and ends with '/' (e.g. /api/posts/)", route.path, "Fix the path");
            ok = false;
        } else if (seen.has(route.path)) {
            p.add(`${key}.path`, "be unique among the routes", route.path, "Remove the duplicate route");
            ok = false;
        }
        if (!(ROUTABLE_SERVICES as readonly unknown[]).includes(route.service)) {
            p.add(`${key}.service`, `name a service the gateway can route to (${ROUTABLE_SERVICES.join(", ")})`, route.service, "Fix the route's service");
            ok = false;
        }
        if (ok) {
            seen.add(route.path as string);
        }
        return ok ? [{ path: route.path as string, service: route.service as RoutableService }] : [];
    });
}

/** Every top-level key the program reads; Pulumi.yaml declares the same set (a test keeps them equal). */
export const CONFIG_KEYS = {
    environment: "dev or prod: prod requires ≥ 2 replicas, autoscaling and data protection.",
    namespace: "Namespace the platform's workloads run in.",
    kubeconfig: "Path to (or contents of) the kubeconfig of the target cluster; empty uses the ambient one.",
    kubeContext: "kubeconfig context of the target cluster; empty uses its current context.",
    imageRegistry: "Registry and path the platform's service images are pulled from.",
    imageTag: "Version tag of the platform's service images (overridable per service).",
    services: "Per-service overrides: image, replicas, minReplicas, maxReplicas, resources.",
    autoscaling: "Create HorizontalPodAutoscalers (CPU 70%, memory 80%).",
    spreadAcrossNodes: "Spread each service's replicas across nodes and zones.",
    verticalPodAutoscaling: "Create VerticalPodAutoscalers in recommendation mode (needs the VPA CRDs).",
    dataProtection: "Protect the database, its claims and the namespace from deletion and replacement.",
    secretsRotation: "Keeper of generated secrets: change it to rotate every generated password and key.",
    postgres: "PostgreSQL: image, storageSize, storageClass, database, user, resources.",
    redis: "Redis: image, persistence, storageSize, storageClass, resources.",
    gateway: "API gateway: exposure (ClusterIP, LoadBalancer, Ingress), domain, ingressClassName, tlsSecretName, routes.",
    monitoringNamespace: "Namespace whose Prometheus may scrape the platform's metrics ports; empty disables.",
    monitoring: "Monitoring stack: enabled, namespace, scrapeInterval, retention, storageSize, storageClass, prometheusResources, nodeCidr, alerts, receivers.",
} as const;

/** Reads the stack's config once and validates it. */
export function loadConfig(): PlatformConfig {
    return parseConfig(pulumi.runtime.allConfig());
}
