// Composes the blogging platform from the service graph: namespace, data stores, services, gateway.
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ApiGateway } from "./gateway/component";
import { EXPORTER_RESOURCES, type IngressOptions } from "./gateway/spec";
import { PlatformNamespace } from "./namespace/component";
import { Postgres } from "./postgres/component";
import { Redis } from "./redis/component";
import { StatelessService } from "./service/component";
import { createGeneratedSecret } from "./shared/generated-secret";
import { secretEnv } from "./shared/workload";
import { type NetworkContext, workloadNetworkPolicySpec } from "./shared/network-policy";
import type { PodBudget, ResourceSpec } from "./shared/resources";
import {
    deploymentOrder,
    METRICS_PORTS,
    type RoutableService,
    SERVICE_DEPENDENCIES,
    serviceEdges,
    type ServiceName,
    WORKLOAD_PORTS,
    type WorkloadName,
} from "./shared/topology";

type EnvVar = k8s.types.input.core.v1.EnvVar;

/** How one stateless service runs. */
export interface PlatformServiceArgs {
    /** Image reference pinned to a tag or digest. */
    image: string;
    /** Replicas when autoscaling is off. */
    replicas: number;
    /** The HPA's bounds when autoscaling is on. */
    minReplicas: number;
    maxReplicas: number;
    resources: ResourceSpec;
}

/** A data store's image, claim and resources. */
export interface DataStoreArgs {
    image: string;
    storageSize: string;
    /** @default the cluster's default StorageClass */
    storageClass?: string;
    resources: ResourceSpec;
}

export interface BlogPlatformArgs {
    /** Namespace the platform's workloads run in; the component creates it. */
    namespace: string;
    services: Record<ServiceName, PlatformServiceArgs>;
    /** HorizontalPodAutoscalers between each service's minReplicas and maxReplicas. */
    autoscaling: boolean;
    /** Spread each service's replicas across nodes and zones. */
    spreadAcrossNodes: boolean;
    /** VerticalPodAutoscalers in recommendation mode (needs the VPA CRDs). */
    verticalPodAutoscaling: boolean;
    /** Protect the database, its claims and the namespace from deletion and replacement. */
    dataProtection: boolean;
    /** Keeper of every generated secret: changing it rotates them all. */
    secretsRotation: string;
    postgres: DataStoreArgs & { database: string; user: string };
    redis: DataStoreArgs & { persistence: boolean };
    gateway: {
        /** The route table; each route's service gets an edge from the gateway. */
        routes: readonly { path: string; service: RoutableService }[];
        exposure: "ClusterIP" | "LoadBalancer" | "Ingress";
        /** Host, class and TLS secret when exposure is Ingress. */
        ingress?: IngressOptions;
    };
    /** Namespace admitted to the workloads' metrics ports; none when undefined. */
    metricsScraperNamespace?: string;
}

/** Generated keys owned by one service and shared with its callers. */
const SERVICE_KEYS = {
    auth: { secretName: "auth-jwt", key: "signing-key", ownerEnv: "JWT_SIGNING_KEY", length: 64 },
    image: { secretName: "image-api-key", key: "api-key", ownerEnv: "API_KEY", length: 40 },
} as const satisfies Partial<Record<ServiceName, { secretName: string; key: string; ownerEnv: string; length: number }>>;
type KeyOwner = keyof typeof SERVICE_KEYS;
const isKeyOwner = (name: WorkloadName): name is KeyOwner => name in SERVICE_KEYS;

/** The generated Secrets a service reads: its own key, and the key of every service it calls that has one. */
export function secretsReadBy(service: ServiceName): KeyOwner[] {
    return [service, ...SERVICE_DEPENDENCIES[service]].filter(isKeyOwner);
}

export class BlogPlatform extends pulumi.ComponentResource {
    readonly namespace: pulumi.Output<string>;
    readonly gatewayAddress: pulumi.Output<string>;
    readonly gatewayServiceName: pulumi.Output<string>;
    readonly serviceAddresses: Record<ServiceName, pulumi.Output<string>>;
    readonly databaseUrl: pulumi.Output<string>;
    readonly redisUrl: pulumi.Output<string>;

    constructor(name: string, cfg: BlogPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("blog:platform:BlogPlatform", name, {}, opts);
        const parent = { parent: this };
        const edges = serviceEdges(cfg.gateway.routes.map((route) => route.service));

        const ns = new PlatformNamespace(
            "platform",
            {
                name: cfg.namespace,
                budgets: podBudgets(cfg),
                dataProtection: cfg.dataProtection,
            },
            parent,
        );
        const namespace = ns.name;
        this.namespace = namespace;

        const network: NetworkContext = { monitoringNamespace: cfg.metricsScraperNamespace, publicWorkloads: ["gateway"] };
        const networkPolicy = (workload: WorkloadName) =>
            workloadNetworkPolicySpec(workload, edges, {
                ...network,
                mainPort: WORKLOAD_PORTS[workload],
                metricsPort: METRICS_PORTS[workload],
            });

        const postgres = new Postgres(
            "postgres",
            {
                ...cfg.postgres,
                namespace,
                networkPolicy: networkPolicy("postgres"),
                dataProtection: cfg.dataProtection,
                secretsRotation: cfg.secretsRotation,
            },
            parent,
        );
        const redis = new Redis(
            "redis",
            {
                ...cfg.redis,
                namespace,
                networkPolicy: networkPolicy("redis"),
                dataProtection: cfg.dataProtection,
                secretsRotation: cfg.secretsRotation,
            },
            parent,
        );

        // Kept so each Deployment that reads a key depends on its Secret, as Postgres and Redis do.
        const serviceSecrets = Object.fromEntries(
            Object.entries(SERVICE_KEYS).map(([service, key]) => [
                service,
                createGeneratedSecret(
                    key.secretName,
                    {
                        namespace,
                        secretName: key.secretName,
                        generated: { [key.key]: key.length },
                        rotation: cfg.secretsRotation,
                        component: service,
                    },
                    parent,
                ).secret,
            ]),
        ) as Record<KeyOwner, k8s.core.v1.Secret>;

        // What a caller of each workload gets in its environment, filled in as workloads are created.
        const clientEnv: Partial<Record<WorkloadName, pulumi.Input<EnvVar[]>>> = {
            postgres: postgres.clientEnv,
            redis: redis.clientEnv,
        };
        const services: Partial<Record<ServiceName, StatelessService>> = {};
        for (const service of deploymentOrder(edges).filter((s) => s !== "gateway")) {
            const spec = cfg.services[service];
            const created = new StatelessService(
                service,
                {
                    namespace,
                    image: spec.image,
                    resources: spec.resources,
                    replicas: spec.replicas,
                    autoscaling: cfg.autoscaling ? { minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas } : undefined,
                    env: environmentFor(service, clientEnv),
                    spreadAcrossNodes: cfg.spreadAcrossNodes,
                    networkPolicy: networkPolicy(service),
                    verticalPodAutoscaling: cfg.verticalPodAutoscaling,
                    component: service === "frontend" ? "frontend" : "api",
                },
                { parent: this, dependsOn: [ns, ...secretsReadBy(service).map((owner) => serviceSecrets[owner])] },
            );
            services[service] = created;
            clientEnv[service] = serviceClientEnv(service, created.url);
        }

        const gatewaySpec = cfg.services.gateway;
        const gateway = new ApiGateway(
            "gateway",
            {
                namespace,
                image: gatewaySpec.image,
                resources: gatewaySpec.resources,
                replicas: gatewaySpec.replicas,
                autoscaling: cfg.autoscaling ? { minReplicas: gatewaySpec.minReplicas, maxReplicas: gatewaySpec.maxReplicas } : undefined,
                spreadAcrossNodes: cfg.spreadAcrossNodes,
                networkPolicy: networkPolicy("gateway"),
                verticalPodAutoscaling: cfg.verticalPodAutoscaling,
                routes: cfg.gateway.routes,
                upstreams: Object.fromEntries(
                    cfg.gateway.routes.map((route) => [route.service, services[route.service]?.address]),
                ) as Partial<Record<RoutableService, pulumi.Output<string>>>,
                exposure: cfg.gateway.exposure,
                ingress: cfg.gateway.ingress,
            },
            { parent: this, dependsOn: [ns] },
        );

        this.gatewayAddress = gateway.address;
        this.gatewayServiceName = gateway.serviceName;
        this.serviceAddresses = {
            ...Object.fromEntries(Object.entries(services).map(([service, component]) => [service, component.address])),
            gateway: gateway.address,
        } as Record<ServiceName, pulumi.Output<string>>;
        this.databaseUrl = postgres.connectionString;
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
export function podBudgets(cfg: Pick<BlogPlatformArgs, "services" | "autoscaling" | "postgres" | "redis">): PodBudget[] {
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
