// The API gateway: nginx generated from the route table, in front of every routed service.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { StatelessService } from "../service/component";
import type { StatelessServiceArgs } from "../service/spec";
import { commonLabels } from "../shared/labels";
import { ADMIN_PORT, type RoutableService } from "../shared/topology";
import { parseQuantity } from "../shared/quantity";
import { nginxConfig, workerProcessesFor } from "./nginx-conf";
import {
    EXPORTER_CONFIG,
    EXPORTER_IMAGE,
    exporterConfigYaml,
    exporterSidecar,
    GATEWAY_PORT,
    GATEWAY_PROBES,
    gatewayRoutes,
    type IngressOptions,
    ingressSpec,
    METRICS_LOG,
    METRICS_PORT,
    NGINX_UID,
} from "./spec";

export interface ApiGatewayArgs
    extends Omit<
        StatelessServiceArgs,
        "port" | "adminPort" | "metrics" | "probes" | "scratch" | "configFiles" | "sidecars" | "runAsUser" | "serviceType"
    > {
    /** The route table, validated by config: every service named has an address below. */
    routes: readonly { path: string; service: RoutableService }[];
    /** In-cluster address (host:port) of every routed service, from the services' components. */
    upstreams: Partial<Record<RoutableService, pulumi.Input<string>>>;
    /** How the gateway is reached from outside the cluster. @default ClusterIP */
    exposure?: "ClusterIP" | "LoadBalancer" | "Ingress";
    /** Host, class and TLS secret when exposure is Ingress. */
    ingress?: IngressOptions;
    /** Image of the per-route metrics exporter sidecar. @default prometheus-nginxlog-exporter, pinned */
    exporterImage?: string;
}

export class ApiGateway extends pulumi.ComponentResource {
    /** In-cluster address of the gateway. */
    readonly address: pulumi.Output<string>;
    /** The Service name, for port-forwarding. */
    readonly serviceName: pulumi.Output<string>;
    /** The nginx.conf deployed, for inspection and tests. */
    readonly config: pulumi.Output<string>;

    constructor(name: string, args: ApiGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("blog:gateway:ApiGateway", name, {}, opts);
        const routes = gatewayRoutes(args.routes);
        // nginxConfig refuses a route whose service has no address, so a wiring mistake fails the run.
        this.config = pulumi.all(args.upstreams).apply((addresses) =>
            nginxConfig({
                listenPort: GATEWAY_PORT,
                adminPort: ADMIN_PORT,
                metricsLog: METRICS_LOG,
                tempDir: "/tmp",
                workerProcesses: workerProcessesFor(parseQuantity(args.resources.limits.cpu)),
                upstreams: Object.fromEntries(
                    Object.entries(addresses).filter((entry): entry is [string, string] => entry[1] !== undefined),
                ),
                routes,
            }),
        );

        const exposure = args.exposure ?? "ClusterIP";
        const service = new StatelessService(
            name,
            {
                ...args,
                component: "gateway",
                port: GATEWAY_PORT,
                metrics: { port: METRICS_PORT, path: "/metrics" },
                runAsUser: NGINX_UID,
                probes: GATEWAY_PROBES,
                // Request bodies beyond nginx's memory buffer (image uploads) are buffered here: room for many at once.
                scratch: [{ path: "/tmp", size: "256Mi" }],
                // The exporter's file is mounted into its own container; nginx's mount of it is unused but costs nothing.
                configFiles: [
                    { name: "nginx.conf", mountPath: "/etc/nginx", content: this.config },
                    { ...EXPORTER_CONFIG, content: exporterConfigYaml() },
                ],
                sidecars: [exporterSidecar(args.exporterImage ?? EXPORTER_IMAGE)],
                serviceType: exposure === "LoadBalancer" ? "LoadBalancer" : "ClusterIP",
            },
            { parent: this },
        );

        if (exposure === "Ingress") {
            if (!args.ingress) {
                throw new Error("gateway exposure Ingress needs ingress options (config validation requires gateway.domain)");
            }
            new k8s.networking.v1.Ingress(
                `${name}-ingress`,
                {
                    metadata: { name, namespace: args.namespace, labels: commonLabels(name, "gateway") },
                    spec: ingressSpec(service.serviceName, args.ingress),
                },
                { parent: this },
            );
        }

        this.address = service.address;
        this.serviceName = service.serviceName;
        this.registerOutputs({ address: this.address, serviceName: this.serviceName, config: this.config });
    }
}
