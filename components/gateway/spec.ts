// Pure builders for the gateway: its route tuning, metrics sidecar and optional Ingress.
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { ADMIN_PATHS, GATEWAY_EXPORTER_PORT, type RoutableService } from "../shared/topology";
import { type BuiltContainer, hardenedContainer, Probe, TMP } from "../shared/workload";
import { type GatewayRoute, METRICS_LOG_FORMAT, STARTUP_CHECK } from "./nginx-conf";

export const GATEWAY_PORT = 8080;
export const METRICS_PORT = GATEWAY_EXPORTER_PORT;
/** UID of the nginx user in the nginx-unprivileged image. */
export const NGINX_UID = 101;
export const EXPORTER_IMAGE = "quay.io/martinhelmich/prometheus-nginxlog-exporter:v1.11.0";
/** nginx sends each request's metrics line here: UDP on the pod's loopback, so nothing leaves the pod. */
export const METRICS_LOG = { server: "127.0.0.1:5531", tag: "gateway" } as const;
/** Where the exporter's config file is mounted (a key of the gateway's ConfigMap). */
export const EXPORTER_CONFIG = { name: "exporter.yml", mountPath: "/etc/nginxlog-exporter" } as const;
/** Latency buckets around the gateway's 5 ms objective and the services' 25–50 ms, like the services' own. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/**
 * The exporter parses every request's log line, ~70 µs of CPU each (docs/load.md): at 50m it was throttled
 * in 60-80 % of periods at 1,000 RPS and fell behind, so the per-route metrics undercounted exactly when
 * they matter. 250m keeps up with the capacity table's 2,400 RPS through one gateway pod.
 */
export const EXPORTER_RESOURCES = { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "250m", memory: "32Mi" } };

/**
 * The largest image upload, in bytes: the image service's MAX_UPLOAD_BYTES and the image route's
 * client_max_body_size both come from it, so nginx never refuses what the service accepts or the reverse.
 * 1 MiB is the services' decision for images kept in PostgreSQL (services/README.md, "Decisions").
 */
export const MAX_UPLOAD_BYTES = 1024 * 1024;

/** Services whose requests are larger or slower than an API call. */
const ROUTE_TUNING: Partial<Record<RoutableService, Pick<GatewayRoute, "readTimeoutSeconds" | "maxBodySize">>> = {
    image: { readTimeoutSeconds: 120, maxBodySize: `${Math.ceil(MAX_UPLOAD_BYTES / 1024)}k` },
};

/** Turns the config's route table into nginx routes, one upstream per service. */
export function gatewayRoutes(routes: readonly { path: string; service: RoutableService }[]): GatewayRoute[] {
    return routes.map((route) => ({ path: route.path, upstream: route.service, ...ROUTE_TUNING[route.service] }));
}

/**
 * The exporter's config: read nginx's metrics lines from syslog and count them by route (relabelled from
 * the line's first field), method and status, with a latency histogram. Metrics are prefixed nginx_.
 */
export function exporterConfigYaml(): string {
    return stringify({
        listen: { port: METRICS_PORT, address: "0.0.0.0", metrics_endpoint: "/metrics" },
        namespaces: [
            {
                name: "nginx",
                format: METRICS_LOG_FORMAT,
                source: { syslog: { listen_address: `udp://${METRICS_LOG.server}`, format: "rfc3164", tags: [METRICS_LOG.tag] } },
                relabel_configs: [{ target_label: "route", from: "route" }],
                histogram_buckets: LATENCY_BUCKETS,
            },
        ],
    });
}

/**
 * nginx-light has no module that counts per route (no Lua, njs or VTS), and stub_status knows neither
 * route, status nor latency: prometheus-nginxlog-exporter turns the access log into per-route metrics.
 */
export function exporterSidecar(image: string): BuiltContainer {
    return hardenedContainer({
        name: "metrics-exporter",
        image,
        args: ["-config-file", `${EXPORTER_CONFIG.mountPath}/${EXPORTER_CONFIG.name}`],
        ports: { metrics: METRICS_PORT },
        resources: EXPORTER_RESOURCES,
        mounts: [
            {
                name: "config",
                mountPath: `${EXPORTER_CONFIG.mountPath}/${EXPORTER_CONFIG.name}`,
                subPath: EXPORTER_CONFIG.name,
                readOnly: true,
            },
        ],
        // Its own /tmp: nginx's container already brings a volume named for /tmp into the pod.
        scratch: [{ ...TMP, name: "exporter-tmp" }],
        probes: {
            liveness: Probe.tcp("metrics", { periodSeconds: 20, failureThreshold: 3 }),
            readiness: Probe.http("/metrics", "metrics", { periodSeconds: 10, failureThreshold: 3 }),
        },
    });
}

/**
 * Readiness asks nginx over HTTP on its admin server ("has it loaded its config and can it answer?"), off
 * the public path; liveness only that the public listener accepts connections, so a slow upstream or a
 * reload never gets the gateway restarted. Startup waits, once, until one upstream has answered this pod
 * (STARTUP_CHECK): a new gateway pod takes no traffic before the NetworkPolicy agent lets it through. Up to
 * 5 minutes, for a first deploy whose services are still starting.
 */
export const GATEWAY_PROBES = {
    liveness: Probe.tcp("http", { periodSeconds: 10, failureThreshold: 6 }),
    readiness: Probe.http(ADMIN_PATHS.readiness, "admin", { periodSeconds: 5, failureThreshold: 2 }),
    startup: Probe.http(STARTUP_CHECK.path, "admin", { periodSeconds: 1, failureThreshold: 300, timeoutSeconds: 4 }),
};

/** The paths the gateway itself answers on its public port, besides the routes: part of the public API. */
export const GATEWAY_PUBLIC_PATHS = ["/health"] as const;

export interface IngressOptions {
    domain: string;
    ingressClassName?: string;
    tlsSecretName?: string;
}

export function ingressSpec(serviceName: pulumi.Input<string>, options: IngressOptions): k8s.types.input.networking.v1.IngressSpec {
    return {
        ingressClassName: options.ingressClassName,
        tls: options.tlsSecretName ? [{ hosts: [options.domain], secretName: options.tlsSecretName }] : undefined,
        rules: [
            {
                host: options.domain,
                http: {
                    paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: serviceName, port: { number: GATEWAY_PORT } } } }],
                },
            },
        ],
    };
}
