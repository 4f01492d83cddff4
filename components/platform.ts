// Composes the blogging platform from the service graph: namespace, data stores, services, gateway.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../config";
import { ApiGateway } from "./gateway/component";
import { EXPORTER_RESOURCES, METRICS_PORT as GATEWAY_METRICS_PORT } from "./gateway/spec";
import { PlatformNamespace } from "./namespace/component";
import { Postgres } from "./postgres/component";
import { Redis } from "./redis/component";
import { StatelessService } from "./service/component";
import { createGeneratedSecret, secretEnv } from "./shared/generated-secret";
import { NetworkContext, workloadNetworkPolicySpec } from "./shared/network-policy";
import { PodBudget } from "./shared/resources";
import {
    deploymentOrder, Edge, RoutableService, SERVICE_DEPENDENCIES, serviceEdges, ServiceName, WORKLOAD_PORTS,
    WorkloadName,
} from "./shared/topology";

type EnvVar = k8s.types.input.core.v1.EnvVar;

/** Generated keys owned by one service and shared with its callers. */
const SERVICE_KEYS = {
    auth: { secretName: "auth-jwt", key: "signing-key", ownerEnv: "JWT_SIGNING_KEY", length: 64 },
    image: { secretName: "image-api-key", key: "api-key", ownerEnv: "API_KEY", length: 40 },
} as const satisfies Partial<Record<ServiceName, { secretName: string; key: string; ownerEnv: string; length: number }>>;

export class BlogPlatform extends pulumi.ComponentResource {
    readonly namespace: pulumi.Output<string>;
    readonly gatewayAddress: pulumi.Output<string>;
    readonly gatewayServiceName: pulumi.Output<string>;
    readonly serviceAddresses: Record<ServiceName, pulumi.Output<string>>;
    readonly databaseUrl: pulumi.Output<string>;
    readonly redisUrl: pulumi.Output<string>;
    /** The graph the NetworkPolicies and the wiring were derived from. */
    readonly edges: Edge[];
    /** Ports the platform's pods serve metrics on, as admitted from the monitoring namespace. */
    readonly metricsPorts: number[];

    constructor(name: string, cfg: PlatformConfig, opts?: pulumi.ComponentResourceOptions) {
        super("blog:platform:BlogPlatform", name, {}, opts);
        const parent = { parent: this };
        this.edges = serviceEdges(cfg.gateway.routes.map((route) => route.service));

        const ns = new PlatformNamespace("platform", {
            name: cfg.namespace,
            budgets: podBudgets(cfg),
            dataProtection: cfg.dataProtection,
        }, parent);
        const namespace = ns.name;
        this.namespace = namespace;

        const network: NetworkContext = { monitoringNamespace: cfg.metricsScraperNamespace, publicWorkloads: ["gateway"] };
        const metricsPorts = new Set<number>();
        const networkPolicy = (workload: WorkloadName, metricsPort?: number) => {
            if (metricsPort !== undefined) {
                metricsPorts.add(metricsPort);
            }
            return workloadNetworkPolicySpec(workload, this.edges, { ...network, mainPort: WORKLOAD_PORTS[workload], metricsPort });
        };

        const postgres = new Postgres("postgres", {
            ...cfg.postgres,
            namespace,
            networkPolicy: networkPolicy("postgres"),
            dataProtection: cfg.dataProtection,
            secretsRotation: cfg.secretsRotation,
        }, parent);
        const redis = new Redis("redis", {
            ...cfg.redis,
            namespace,
            networkPolicy: networkPolicy("redis"),
            dataProtection: cfg.dataProtection,
            secretsRotation: cfg.secretsRotation,
        }, parent);

        for (const [service, key] of Object.entries(SERVICE_KEYS)) {
            createGeneratedSecret(key.secretName, {
                namespace,
                secretName: key.secretName,
                generated: { [key.key]: key.length },
                rotation: cfg.secretsRotation,
                component: service,
            }, parent);
        }

        // What a caller of each workload gets in its environment, filled in as workloads are created.
        const clientEnv: Partial<Record<WorkloadName, pulumi.Input<EnvVar[]>>> = {
            postgres: postgres.clientEnv,
            redis: redis.clientEnv,
        };
        const services: Partial<Record<ServiceName, StatelessService>> = {};
        for (const service of deploymentOrder(this.edges).filter((s) => s !== "gateway")) {
            const spec = cfg.services[service];
            const created = new StatelessService(service, {
                namespace,
                image: spec.image,
                resources: spec.resources,
                replicas: spec.replicas,
                autoscaling: cfg.autoscaling ? { minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas } : undefined,
                env: environmentFor(service, clientEnv),
                spreadAcrossNodes: cfg.spreadAcrossNodes,
                networkPolicy: networkPolicy(service, WORKLOAD_PORTS[service]),
                verticalPodAutoscaling: cfg.verticalPodAutoscaling,
                component: service === "frontend" ? "frontend" : "api",
            }, { parent: this, dependsOn: [ns] });
            services[service] = created;
            clientEnv[service] = serviceClientEnv(service, created.url);
        }

        const gatewaySpec = cfg.services.gateway;
        const gateway = new ApiGateway("gateway", {
            namespace,
            image: gatewaySpec.image,
            resources: gatewaySpec.resources,
            replicas: gatewaySpec.replicas,
            autoscaling: cfg.autoscaling ? { minReplicas: gatewaySpec.minReplicas, maxReplicas: gatewaySpec.maxReplicas } : undefined,
            spreadAcrossNodes: cfg.spreadAcrossNodes,
            networkPolicy: networkPolicy("gateway", GATEWAY_METRICS_PORT),
            verticalPodAutoscaling: cfg.verticalPodAutoscaling,
            routes: cfg.gateway.routes,
            upstreams: Object.fromEntries(
                cfg.gateway.routes.map((route) => [route.service, services[route.service]?.address]),
            ) as Partial<Record<RoutableService, pulumi.Output<string>>>,
            exposure: cfg.gateway.exposure,
            ingress: cfg.gateway.domain ? {
                domain: cfg.gateway.domain,
                ingressClassName: cfg.gateway.ingressClassName,
                tlsSecretName: cfg.gateway.tlsSecretName,
            } : undefined,
        }, { parent: this, dependsOn: [ns] });

        this.gatewayAddress = gateway.address;
        this.gatewayServiceName = gateway.serviceName;
        this.serviceAddresses = {
            ...Object.fromEntries(Object.entries(services).map(([service, component]) => [service, component.address])),
            gateway: gateway.address,
        } as Record<ServiceName, pulumi.Output<string>>;
        this.databaseUrl = postgres.connectionString;
        this.metricsPorts = [...metricsPorts].sort((a, b) => a - b);
        this.redisUrl = redis.connectionString;
        this.registerOutputs({
            namespace: this.namespace,
            gatewayAddress: this.gatewayAddress,
            serviceAddresses: this.serviceAddresses,
            databaseUrl: this.databaseUrl,
            redisUrl: this.redisUrl,
        });
    }
}

/** The environment of one service: the key it owns, then its callees' client env. */
function environmentFor(service: ServiceName, clientEnv: Partial<Record<WorkloadName, pulumi.Input<EnvVar[]>>>): pulumi.Output<EnvVar[]> {
    const ownKey = (SERVICE_KEYS as Partial<Record<ServiceName, (typeof SERVICE_KEYS)[keyof typeof SERVICE_KEYS]>>)[service];
    const own = ownKey ? [secretEnv(ownKey.ownerEnv, ownKey.secretName, ownKey.key)] : [];
    const fromDependencies = SERVICE_DEPENDENCIES[service].map((dependency) => {
        const env = clientEnv[dependency];
        if (env === undefined) {
            throw new Error(`${service} depends on ${dependency}, which is not created yet: the service graph order is wrong`);
        }
        return pulumi.output(env);
    });
    return pulumi.all(fromDependencies).apply((lists) => [...own, ...lists.flat()] as EnvVar[]);
}

/** What a caller of a stateless service needs: its URL and, if it has one, its API key. */
function serviceClientEnv(service: ServiceName, url: pulumi.Output<string>): pulumi.Output<EnvVar[]> {
    const prefix = service.toUpperCase();
    return url.apply((value) => [
        { name: `${prefix}_SERVICE_URL`, value },
        ...(service === "image" ? [secretEnv(`${prefix}_SERVICE_API_KEY`, SERVICE_KEYS.image.secretName, SERVICE_KEYS.image.key)] : []),
    ]);
}

/** Each workload's largest pod count, for the namespace quota. */
export function podBudgets(cfg: PlatformConfig): PodBudget[] {
    const services = Object.values(cfg.services).map((spec) => ({
        resources: spec.resources,
        maxPods: cfg.autoscaling ? spec.maxReplicas : spec.replicas,
    }));
    const gatewayPods = cfg.autoscaling ? cfg.services.gateway.maxReplicas : cfg.services.gateway.replicas;
    return [
        ...services,
        { resources: EXPORTER_RESOURCES, maxPods: gatewayPods },
        { resources: cfg.postgres.resources, maxPods: 1 },
        { resources: cfg.redis.resources, maxPods: 1 },
    ];
}
