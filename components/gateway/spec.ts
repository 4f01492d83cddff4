// Pure builders for the gateway: its route tuning, metrics sidecar and optional Ingress.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { GATEWAY_EXPORTER_PORT, RoutableService } from "../shared/topology";
import { restrictedContainerSecurityContext } from "../shared/security";
import { GatewayRoute } from "./nginx-conf";

export const GATEWAY_PORT = 8080;
export const STATUS_PORT = 8081;
export const METRICS_PORT = GATEWAY_EXPORTER_PORT;
/** UID of the nginx user in the nginx-unprivileged image. */
export const NGINX_UID = 101;
export const EXPORTER_IMAGE = "docker.io/nginx/nginx-prometheus-exporter:1.4.1";
export const EXPORTER_RESOURCES = { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "50m", memory: "32Mi" } };

/** Services whose requests are larger or slower than an API call. */
const ROUTE_TUNING: Partial<Record<RoutableService, Pick<GatewayRoute, "readTimeoutSeconds" | "maxBodySize">>> = {
    image: { readTimeoutSeconds: 120, maxBodySize: "20m" },
};

/** Turns the config's route table into nginx routes, one upstream per service. */
export function gatewayRoutes(routes: readonly { path: string; service: RoutableService }[]): GatewayRoute[] {
    return routes.map((route) => ({ path: route.path, upstream: route.service, ...ROUTE_TUNING[route.service] }));
}

/** nginx has no Prometheus endpoint of its own; the official exporter turns stub_status into metrics. */
export function exporterSidecar(image: string): k8s.types.input.core.v1.Container {
    return {
        name: "metrics-exporter",
        image,
        args: [`--nginx.scrape-uri=http://127.0.0.1:${STATUS_PORT}/stub_status`, `--web.listen-address=:${METRICS_PORT}`],
        ports: [{ name: "metrics", containerPort: METRICS_PORT, protocol: "TCP" }],
        resources: EXPORTER_RESOURCES,
        securityContext: restrictedContainerSecurityContext(),
        livenessProbe: { httpGet: { path: "/metrics", port: "metrics" }, periodSeconds: 20, timeoutSeconds: 2 },
        readinessProbe: { httpGet: { path: "/metrics", port: "metrics" }, periodSeconds: 10, timeoutSeconds: 2 },
    };
}

export interface IngressOptions {
    domain: string;
    ingressClassName?: string;
    tlsSecretName?: string;
}

export function ingressSpec(serviceName: pulumi.Input<string>, options: IngressOptions): k8s.types.input.networking.v1.IngressSpec {
    return {
        ingressClassName: options.ingressClassName,
        tls: options.tlsSecretName ? [{ hosts: [options.domain], secretName: options.tlsSecretName }] : undefined,
        rules: [{
            host: options.domain,
            http: {
                paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: serviceName, port: { number: GATEWAY_PORT } } } }],
            },
        }],
    };
}
