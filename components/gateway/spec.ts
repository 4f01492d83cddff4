// Pure builders for the gateway: its route tuning, metrics sidecar and optional Ingress.
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { GATEWAY_EXPORTER_PORT, type RoutableService } from "../shared/topology";
import { type BuiltContainer, hardenedContainer, Probe, TMP } from "../shared/workload";
import type { GatewayRoute } from "./nginx-conf";

export const GATEWAY_PORT = 8080;
export const STATUS_PORT = 8081;
export const METRICS_PORT = GATEWAY_EXPORTER_PORT;
/** UID of the nginx user in the nginx-unprivileged image. */
export const NGINX_UID = 101;
export const EXPORTER_IMAGE = "docker.io/nginx/nginx-prometheus-exporter:1.4.1";
export const EXPORTER_RESOURCES = { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "50m", memory: "32Mi" } };

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

/** nginx has no Prometheus endpoint of its own; the official exporter turns stub_status into metrics. */
export function exporterSidecar(image: string): BuiltContainer {
    return hardenedContainer({
        name: "metrics-exporter",
        image,
        args: [`--nginx.scrape-uri=http://127.0.0.1:${STATUS_PORT}/stub_status`, `--web.listen-address=:${METRICS_PORT}`],
        ports: { metrics: METRICS_PORT },
        resources: EXPORTER_RESOURCES,
        // Its own /tmp: nginx's container already brings a volume named for /tmp into the pod.
        scratch: [{ ...TMP, name: "exporter-tmp" }],
        probes: {
            liveness: Probe.tcp("metrics", { periodSeconds: 20, failureThreshold: 3 }),
            readiness: Probe.http("/metrics", "metrics", { periodSeconds: 10, failureThreshold: 3 }),
        },
    });
}

/**
 * Readiness asks nginx over HTTP on the main port ("can it route now?"); liveness only that the listener
 * accepts connections, so a slow upstream or a reload never gets the gateway restarted.
 */
export const GATEWAY_PROBES = {
    liveness: Probe.tcp("http", { periodSeconds: 10, failureThreshold: 6 }),
    readiness: Probe.http("/ready", "http", { periodSeconds: 5, failureThreshold: 2 }),
};

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
