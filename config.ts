// The one typed, validated view of stack config: a pure parseConfig(raw) plus a thin loadConfig().
import * as pulumi from "@pulumi/pulumi";
import { parseQuantity } from "./components/shared/quantity";
import { ResourceSpec } from "./components/shared/resources";
import { ROUTABLE_SERVICES, RoutableService, SERVICE_NAMES, ServiceName } from "./components/shared/topology";
import type { AlertReceiver } from "./components/monitoring/alertmanager-config";
import { MONITORING_DEFAULTS } from "./components/monitoring/defaults";
import { parseDuration } from "./components/monitoring/duration";
import { AlertThresholds, Severity, SEVERITIES } from "./components/monitoring/rules";

export const PROJECT = "blog";

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

/** A config mistake: every problem found, one per line, shown without a stack trace. */
export class ConfigError extends pulumi.RunError {
    constructor(readonly problems: string[]) {
        super(`invalid stack config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  - ${problems.join("\n  - ")}`);
        this.name = "ConfigError";
    }
}

/** Collects problems in the house format: `<key> must <rule> (got <value>). <how to fix>.` */
class Problems {
    readonly list: string[] = [];
    add(path: string, rule: string, got: unknown, fix: string): void {
        this.list.push(`${PROJECT}:${path} must ${rule} (got ${describe(got)}). ${fix}.`);
    }
    setHint(path: string, example: string): string {
        return `Run: pulumi config set --path '${path}' ${example}`;
    }
}

function describe(value: unknown): string {
    if (value === undefined) {
        return "nothing";
    }
    return typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
}

type Raw = Record<string, string | undefined>;

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
    const dataProtection = r.boolean("dataProtection", prod);
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

const MONITORING_FIELDS = ["enabled", "namespace", "scrapeInterval", "retention", "storageSize", "storageClass", "prometheusResources",
    "nodeCidr", "alerts", "receivers"];
const ALERT_FIELDS = ["errorRatio", "crashLoopRestarts", "p95Latency"];

function parseMonitoring(r: Reader, p: Problems, platformNamespace: string): MonitoringConfig {
    const raw = r.object("monitoring");
    const m = new Reader(raw, p, "monitoring.");
    unknownFields(raw, MONITORING_FIELDS, "monitoring", p);
    const d = MONITORING_DEFAULTS;
    // The default derives from the platform's namespace: an invalid one is reported once, under its own key.
    const namespace = m.raw("namespace") === undefined && !DNS_LABEL.test(platformNamespace)
        ? `${platformNamespace}-monitoring`
        : m.string("namespace", `${platformNamespace}-monitoring`, DNS_LABEL, "be a DNS-1123 label (lowercase letters, digits, '-')");
    if (namespace === platformNamespace) {
        p.add("monitoring.namespace", "differ from the platform's namespace", namespace, p.setHint("monitoring.namespace", `${platformNamespace}-monitoring`));
    }
    const nodeCidr = m.string("nodeCidr", d.nodeCidr, /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$|^[0-9a-f:]+\/\d{1,3}$/i, "be a CIDR like 10.0.0.0/16");

    const rawAlerts = m.object("alerts");
    const alerts = new Reader(rawAlerts, p, "monitoring.alerts.");
    unknownFields(rawAlerts, ALERT_FIELDS, "monitoring.alerts", p);
    const latencyRaw = alerts.object("p95Latency");
    const p95LatencySeconds: Record<string, number> = { ...d.thresholds.p95LatencySeconds };
    for (const [service, value] of Object.entries(latencyRaw)) {
        const key = `monitoring.alerts.p95Latency.${service}`;
        const seconds = typeof value === "string" ? parseDuration(value) : undefined;
        if (!(SERVICE_NAMES as readonly string[]).includes(service)) {
            p.add(key, `name a platform service (${SERVICE_NAMES.join(", ")})`, service, `Fix the name or run: pulumi config rm --path '${key}'`);
        } else if (seconds === undefined || seconds <= 0) {
            p.add(key, "be a Prometheus duration above zero like 50ms", value, p.setHint(key, "50ms"));
        } else {
            p95LatencySeconds[service] = seconds;
        }
    }

    return {
        enabled: m.boolean("enabled", false),
        namespace,
        scrapeInterval: m.duration("scrapeInterval", d.scrapeInterval, "5s"),
        retention: m.duration("retention", d.retention, "2h"),
        storageSize: m.quantity("storageSize", d.storageSize, "memory"),
        storageClass: m.optionalString("storageClass"),
        prometheusResources: m.resources("prometheusResources", d.prometheusResources),
        nodeCidr,
        alerts: {
            errorRatio: alerts.fraction("errorRatio", d.thresholds.errorRatio),
            crashLoopRestarts: alerts.integer("crashLoopRestarts", d.thresholds.crashLoopRestarts, 1, ""),
            p95LatencySeconds,
        },
        receivers: parseReceivers(m.raw("receivers"), p),
    };
}

function unknownFields(value: Record<string, unknown>, known: readonly string[], path: string, p: Problems): void {
    for (const field of Object.keys(value).filter((f) => !known.includes(f))) {
        p.add(`${path}.${field}`, `be one of the fields of ${path} (${known.join(", ")})`, field, `Fix the name or run: pulumi config rm --path '${path}.${field}'`);
    }
}

const RECEIVER_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Webhook receivers. A URL is never echoed in a message: it usually embeds a token. */
function parseReceivers(value: unknown, p: Problems): AlertReceiver[] {
    if (value === undefined) {
        return [];
    }
    if (!Array.isArray(value)) {
        p.add("monitoring.receivers", "be a list of {name, webhookUrl, severities}", value, "See docs/monitoring.md for the shape");
        return [];
    }
    const seen = new Set<string>(["blackhole"]);
    return value.flatMap((entry: unknown, i): AlertReceiver[] => {
        const key = `monitoring.receivers[${i}]`;
        const receiver = (entry ?? {}) as { name?: unknown; webhookUrl?: unknown; severities?: unknown };
        let ok = true;
        if (typeof receiver.name !== "string" || !RECEIVER_NAME.test(receiver.name) || seen.has(receiver.name)) {
            p.add(`${key}.name`, "be a unique lowercase name (letters, digits, '-'), not blackhole", receiver.name, `Run: pulumi config set --path '${key}.name' oncall`);
            ok = false;
        } else {
            seen.add(receiver.name);
        }
        if (!isWebhookUrl(receiver.webhookUrl)) {
            p.add(`${key}.webhookUrl`, "be an http:// or https:// URL, set as a secret", receiver.webhookUrl === undefined ? undefined : "[redacted]",
                `Run: pulumi config set --secret --path '${key}.webhookUrl' https://hooks.example.com/...`);
            ok = false;
        }
        const severities = receiver.severities ?? [...SEVERITIES];
        if (!Array.isArray(severities) || severities.length === 0 || !severities.every((s) => (SEVERITIES as readonly unknown[]).includes(s))) {
            p.add(`${key}.severities`, `be a non-empty list of ${SEVERITIES.join(", ")}`, receiver.severities,
                `Run: pulumi config set --path '${key}.severities[0]' critical`);
            ok = false;
        }
        return ok ? [{ name: receiver.name as string, webhookUrl: receiver.webhookUrl as string, severities: severities as Severity[] }] : [];
    });
}

function isWebhookUrl(value: unknown): boolean {
    if (typeof value !== "string") {
        return false;
    }
    try {
        const url = new URL(value);
        return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
    } catch {
        return false;
    }
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

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Reads typed values from one level of config, recording problems instead of throwing. */
class Reader {
    constructor(private readonly values: Raw | Record<string, unknown>, private readonly p: Problems, private readonly prefix = "") {}

    raw(key: string): unknown {
        const value = this.values[this.prefix === "" ? `${PROJECT}:${key}` : key];
        return value === "" && this.prefix === "" ? undefined : value;
    }

    private bad(key: string, rule: string, got: unknown, example: string): void {
        this.p.add(this.prefix + key, rule, got, this.p.setHint(this.prefix + key, example));
    }

    object(key: string): Record<string, unknown> {
        const value = this.raw(key);
        if (value === undefined) {
            return {};
        }
        let parsed: unknown = value;
        if (typeof value === "string") {
            try {
                parsed = JSON.parse(value);
            } catch {
                parsed = value;
            }
        }
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
            this.p.add(this.prefix + key, "be an object (structured config)", value, `Set its fields with: pulumi config set --path '${this.prefix + key}.<field>' <value>`);
            return {};
        }
        return parsed as Record<string, unknown>;
    }

    optionalString(key: string): string | undefined {
        const value = this.raw(key);
        if (value === undefined || value === "") {
            return undefined;
        }
        if (typeof value !== "string") {
            this.bad(key, "be a string", value, "<text>");
            return undefined;
        }
        return value;
    }

    string(key: string, fallback: string, pattern: RegExp, rule: string): string {
        const value = this.optionalString(key) ?? fallback;
        if (!pattern.test(value)) {
            this.bad(key, rule, value, fallback);
        }
        return value;
    }

    oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T | undefined): T | undefined {
        const value = this.optionalString(key);
        if (value === undefined && fallback === undefined) {
            this.bad(key, `be set to one of ${allowed.join(", ")}`, undefined, allowed[0]);
            return undefined;
        }
        if (value !== undefined && !(allowed as readonly string[]).includes(value)) {
            this.bad(key, `be one of ${allowed.join(", ")}`, value, allowed[0]);
            return fallback;
        }
        return (value as T | undefined) ?? fallback;
    }

    boolean(key: string, fallback: boolean): boolean {
        const value = this.raw(key);
        if (value === undefined) {
            return fallback;
        }
        if (value === true || value === "true") {
            return true;
        }
        if (value === false || value === "false") {
            return false;
        }
        this.bad(key, "be true or false", value, String(fallback));
        return fallback;
    }

    integer(key: string, fallback: number, min: number, why: string): number {
        const value = this.raw(key);
        const parsed = value === undefined ? fallback : typeof value === "number" ? value : Number(value);
        if (!Number.isInteger(parsed) || parsed < min) {
            this.bad(key, `be an integer ≥ ${min}${why ? ` ${why}` : ""}`, value, String(Math.max(min, fallback)));
            return Math.max(min, fallback);
        }
        return parsed;
    }

    quantity(key: string, fallback: string, kind: "cpu" | "memory"): string {
        const value = this.raw(key) ?? fallback;
        const example = kind === "cpu" ? "250m" : "256Mi";
        if (typeof value !== "string" && typeof value !== "number") {
            this.bad(key, `be a Kubernetes quantity like ${example}`, value, example);
            return fallback;
        }
        const text = String(value);
        const parsed = parseQuantity(text);
        if (parsed === undefined || parsed <= 0) {
            const rule = kind === "cpu" ? "be a CPU quantity like 250m or 1" : "be a memory quantity like 256Mi or 1Gi (binary suffixes Ki, Mi, Gi; not MB)";
            this.bad(key, rule, value, example);
            return fallback;
        }
        return text;
    }

    resources(key: string, fallback: ResourceSpec): ResourceSpec {
        const o = new Reader(this.object(key), this.p, `${this.prefix}${key}.`);
        const requests = new Reader(o.object("requests"), this.p, `${this.prefix}${key}.requests.`);
        const limits = new Reader(o.object("limits"), this.p, `${this.prefix}${key}.limits.`);
        const spec: ResourceSpec = {
            requests: { cpu: requests.quantity("cpu", fallback.requests.cpu, "cpu"), memory: requests.quantity("memory", fallback.requests.memory, "memory") },
            limits: { cpu: limits.quantity("cpu", fallback.limits.cpu, "cpu"), memory: limits.quantity("memory", fallback.limits.memory, "memory") },
        };
        for (const resource of ["cpu", "memory"] as const) {
            const request = parseQuantity(spec.requests[resource]) ?? 0;
            const limit = parseQuantity(spec.limits[resource]) ?? 0;
            if (limit < request) {
                this.p.add(`${this.prefix}${key}.limits.${resource}`, `be at least the request (${spec.requests[resource]})`, spec.limits[resource],
                    this.p.setHint(`${this.prefix}${key}.limits.${resource}`, spec.requests[resource]));
            }
        }
        return spec;
    }

    /** A Prometheus duration ("30s", "15d") of at least `minimum` (itself a duration). */
    duration(key: string, fallback: string, minimum: string): string {
        const value = this.raw(key) ?? fallback;
        const seconds = typeof value === "string" ? parseDuration(value) : undefined;
        if (seconds === undefined || seconds < (parseDuration(minimum) ?? 0)) {
            this.bad(key, `be a Prometheus duration of at least ${minimum} like ${fallback}`, value, fallback);
            return fallback;
        }
        return value as string;
    }

    /** A number above 0 and at most 1. */
    fraction(key: string, fallback: number): number {
        const value = this.raw(key);
        const parsed = value === undefined ? fallback : typeof value === "number" ? value : Number(value);
        if (!Number.isFinite(parsed) || parsed <= 0 || parsed > 1) {
            this.bad(key, "be a number above 0 and at most 1", value, String(fallback));
            return fallback;
        }
        return parsed;
    }

    image(key: string, fallback: string | undefined, alternative: string): string {
        const value = this.optionalString(key) ?? fallback;
        const rule = "be an image reference pinned to a version tag or digest (not 'latest')";
        if (value === undefined) {
            this.bad(key, `${rule}${alternative ? `; ${alternative}` : ""}`, undefined, "registry.example.com/app:1.2.3");
            return "";
        }
        const pinned = /^[a-z0-9][a-z0-9._\/:-]*(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?(@sha256:[a-f0-9]{64})?$/.exec(value);
        const lastSegment = value.split("@")[0].split("/").pop() ?? "";
        const tag = lastSegment.includes(":") ? lastSegment.split(":").pop() : undefined;
        if (!pinned || (!tag && !value.includes("@sha256:")) || tag === "latest") {
            this.bad(key, rule, value, "registry.example.com/app:1.2.3");
        }
        return value;
    }
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
