// Composes the blogging platform from the service graph: namespace, data stores, services, gateway.
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ApiGateway } from "./gateway/component";
import { EXPORTER_RESOURCES, type IngressOptions, MAX_UPLOAD_BYTES } from "./gateway/spec";
import { PlatformNamespace } from "./namespace/component";
import { BACKUP_RESOURCES, type PostgresBackupArgs } from "./postgres/backup";
import { Postgres } from "./postgres/component";
import { Redis } from "./redis/component";
import { StatelessService } from "./service/component";
import type { StatelessServiceArgs } from "./service/spec";
import { shutdownEnv, shutdownTiming } from "./service/shutdown";
import { createGeneratedSecret, type GeneratedSecretResult } from "./shared/generated-secret";
import { configChecksum, secretEnv } from "./shared/workload";
import { type NetworkContext, workloadNetworkPolicySpec } from "./shared/network-policy";
import type { PodBudget, ResourceSpec } from "./shared/resources";
import {
    BACKEND_SERVICES,
    type Edge,
    deploymentOrder,
    isMigratingService,
    ADMIN_PORT,
    METRICS_PORTS,
    migrationWorkload,
    POSTGRES_BACKUP_WORKLOAD,
    type RoutableService,
    SERVICE_DEPENDENCIES,
    SERVICE_NAMES,
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
    /** Seconds the HPA waits at a lower recommendation before scaling down. @default 300 (Kubernetes' default) */
    scaleDownStabilizationSeconds?: number;
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
    /** `backup`: a scheduled pg_dump to a claim of its own; none when undefined. */
    postgres: DataStoreArgs & { database: string; user: string; backup?: PostgresBackupArgs };
    redis: DataStoreArgs & { persistence: boolean };
    gateway: {
        /** The route table; each route's service gets an edge from the gateway. */
        routes: readonly { path: string; service: RoutableService }[];
        exposure: "ClusterIP" | "LoadBalancer" | "Ingress";
        /** Host, class and TLS secret when exposure is Ingress. */
        ingress?: IngressOptions;
        /** Image of the per-route metrics exporter sidecar. @default the upstream prometheus-nginxlog-exporter, pinned */
        exporterImage?: string;
    };
    /** Namespace admitted to the workloads' metrics ports; none when undefined. */
    metricsScraperNamespace?: string;
}

/**
 * Generated keys owned by one service. `callersRead`: its callers get the key too (image's API key);
 * auth's signing key stays with auth, the others verify its tokens with the public JWKS.
 */
const SERVICE_KEYS = {
    auth: { secretName: "auth-jwt", key: "signing-key", ownerEnv: "JWT_SIGNING_KEY", length: 64, callersRead: false },
    image: { secretName: "image-api-key", key: "api-key", ownerEnv: "API_KEY", length: 40, callersRead: true },
} as const satisfies Partial<
    Record<ServiceName, { secretName: string; key: string; ownerEnv: string; length: number; callersRead: boolean }>
>;
type KeyOwner = keyof typeof SERVICE_KEYS;
const isKeyOwner = (name: WorkloadName): name is KeyOwner => name in SERVICE_KEYS;

/** The generated Secrets a service reads: its own key, and the key of every service it calls that shares one. */
export function secretsReadBy(service: ServiceName): KeyOwner[] {
    const called = SERVICE_DEPENDENCIES[service].filter(isKeyOwner).filter((owner) => SERVICE_KEYS[owner].callersRead);
    return [...(isKeyOwner(service) ? [service] : []), ...called];
}

const hasGeneratedCredentials = (workload: WorkloadName) => workload === "postgres" || workload === "redis" || isKeyOwner(workload);

/**
 * Workloads whose generated credentials a service reads or trusts: its own key, the data stores' passwords,
 * a called service's shared key, and auth's signing key for the token verifiers (jose caches auth's JWKS
 * for up to 10 minutes, so only a restart makes tokens signed before a rotation fail at once). The
 * service's pods carry a hash of them all and roll when any rotates.
 */
export function credentialsUsedBy(service: ServiceName): WorkloadName[] {
    return [...(isKeyOwner(service) ? [service] : []), ...SERVICE_DEPENDENCIES[service].filter(hasGeneratedCredentials)];
}

/**
 * Proxies in front of a service whose X-Forwarded-For entries it trusts: the gateway, plus the ingress
 * controller when the gateway sits behind an Ingress. A LoadBalancer Service forwards TCP without adding
 * an entry, so it counts for nothing.
 */
export function trustedProxyHops(exposure: BlogPlatformArgs["gateway"]["exposure"]): number {
    return exposure === "Ingress" ? 2 : 1;
}

/** Workloads anyone may reach on their main port: the gateway, the platform's one entry point. */
export const PUBLIC_WORKLOADS: readonly WorkloadName[] = ["gateway"];

/** The backend services' shutdown budget, derived once from the pod's grace period and preStop pause. */
export const BACKEND_SHUTDOWN = shutdownTiming();

/** What the platform tells a backend service beyond its dependencies: proxy hops, shutdown budget, upload limit. */
export function runtimeEnv(service: ServiceName, exposure: BlogPlatformArgs["gateway"]["exposure"]): EnvVar[] {
    if (!(BACKEND_SERVICES as readonly string[]).includes(service)) {
        return [];
    }
    return [
        { name: "TRUSTED_PROXY_HOPS", value: String(trustedProxyHops(exposure)) },
        // Written out although it is the services' default: the pod's probes and scrape annotation use it too.
        { name: "ADMIN_PORT", value: String(ADMIN_PORT) },
        ...shutdownEnv(BACKEND_SHUTDOWN),
        ...(service === "image" ? [{ name: "MAX_UPLOAD_BYTES", value: String(MAX_UPLOAD_BYTES) }] : []),
    ];
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
        const edges = serviceEdges(
            cfg.gateway.routes.map((route) => route.service),
            { postgresBackup: cfg.postgres.backup !== undefined },
        );

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

        const network: NetworkContext = { monitoringNamespace: cfg.metricsScraperNamespace, publicWorkloads: PUBLIC_WORKLOADS };
        const networkPolicy = (workload: Edge["from"]) =>
            workloadNetworkPolicySpec(
                workload,
                edges,
                workload in WORKLOAD_PORTS
                    ? {
                          ...network,
                          mainPort: WORKLOAD_PORTS[workload as WorkloadName],
                          metricsPort: METRICS_PORTS[workload as WorkloadName],
                      }
                    : network,
            );

        const postgres = new Postgres(
            "postgres",
            {
                ...cfg.postgres,
                namespace,
                networkPolicy: networkPolicy("postgres"),
                backupNetworkPolicy: cfg.postgres.backup ? networkPolicy(POSTGRES_BACKUP_WORKLOAD) : undefined,
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
        const serviceKeys = Object.fromEntries(
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
                ),
            ]),
        ) as Record<KeyOwner, GeneratedSecretResult>;
        const credentialChecksums: Partial<Record<WorkloadName, pulumi.Output<string>>> = {
            postgres: postgres.credentialsChecksum,
            redis: redis.credentialsChecksum,
            ...Object.fromEntries(Object.entries(serviceKeys).map(([owner, key]) => [owner, key.checksum])),
        };
        const secretsChecksumOf = (service: ServiceName): pulumi.Output<string> | undefined => {
            const used = credentialsUsedBy(service);
            return used.length === 0
                ? undefined
                : pulumi
                      .all(Object.fromEntries(used.map((workload) => [workload, credentialChecksums[workload] as pulumi.Output<string>])))
                      .apply(configChecksum);
        };

        // What a caller of each workload gets in its environment, filled in as workloads are created.
        const clientEnv: Partial<Record<WorkloadName, pulumi.Input<EnvVar[]>>> = {
            postgres: postgres.clientEnv,
            redis: redis.clientEnv,
        };
        const services: Partial<Record<ServiceName, StatelessService>> = {};
        for (const service of deploymentOrder(edges).filter((s) => s !== "gateway")) {
            const spec = cfg.services[service];
            const backend = (BACKEND_SERVICES as readonly string[]).includes(service);
            const created = new StatelessService(
                service,
                {
                    namespace,
                    image: spec.image,
                    resources: spec.resources,
                    replicas: spec.replicas,
                    autoscaling: cfg.autoscaling ? autoscalingOf(spec) : undefined,
                    env: environmentFor(service, clientEnv, runtimeEnv(service, cfg.gateway.exposure)),
                    secretsChecksum: secretsChecksumOf(service),
                    spreadAcrossNodes: cfg.spreadAcrossNodes,
                    networkPolicy: networkPolicy(service),
                    verticalPodAutoscaling: cfg.verticalPodAutoscaling,
                    component: service === "frontend" ? "frontend" : "api",
                    ...(METRICS_PORTS[service] === undefined ? { metrics: "none" as const } : {}),
                    ...(backend
                        ? {
                              terminationGracePeriodSeconds: BACKEND_SHUTDOWN.terminationGracePeriodSeconds,
                              drainSeconds: BACKEND_SHUTDOWN.drainSeconds,
                          }
                        : {}),
                    migration: isMigratingService(service)
                        ? {
                              workload: migrationWorkload(service),
                              env: postgres.clientEnv,
                              networkPolicy: networkPolicy(migrationWorkload(service)),
                          }
                        : undefined,
                },
                // The migration Job waits for the database (a component's dependents wait for all its children).
                {
                    parent: this,
                    dependsOn: [
                        ns,
                        ...(isMigratingService(service) ? [postgres] : []),
                        ...secretsReadBy(service).map((owner) => serviceKeys[owner].secret),
                    ],
                },
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
                autoscaling: cfg.autoscaling ? autoscalingOf(gatewaySpec) : undefined,
                spreadAcrossNodes: cfg.spreadAcrossNodes,
                networkPolicy: networkPolicy("gateway"),
                verticalPodAutoscaling: cfg.verticalPodAutoscaling,
                routes: cfg.gateway.routes,
                upstreams: Object.fromEntries(
                    cfg.gateway.routes.map((route) => [route.service, services[route.service]?.address]),
                ) as Partial<Record<RoutableService, pulumi.Output<string>>>,
                exposure: cfg.gateway.exposure,
                ingress: cfg.gateway.ingress,
                exporterImage: cfg.gateway.exporterImage,
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

/** A service's HPA settings from its config. */
export function autoscalingOf(spec: PlatformServiceArgs): NonNullable<StatelessServiceArgs["autoscaling"]> {
    return {
        minReplicas: spec.minReplicas,
        maxReplicas: spec.maxReplicas,
        ...(spec.scaleDownStabilizationSeconds !== undefined ? { scaleDownStabilizationSeconds: spec.scaleDownStabilizationSeconds } : {}),
    };
}

/** The environment of one service: the key it owns, its callees' client env, then its runtime settings. */
function environmentFor(
    service: ServiceName,
    clientEnv: Partial<Record<WorkloadName, pulumi.Input<EnvVar[]>>>,
    runtime: EnvVar[],
): pulumi.Output<EnvVar[]> {
    const ownKey = (SERVICE_KEYS as Partial<Record<ServiceName, (typeof SERVICE_KEYS)[keyof typeof SERVICE_KEYS]>>)[service];
    const own = ownKey ? [secretEnv(ownKey.ownerEnv, ownKey.secretName, ownKey.key)] : [];
    const fromDependencies = SERVICE_DEPENDENCIES[service].map((dependency) => {
        const env = clientEnv[dependency];
        if (env === undefined) {
            throw new Error(`${service} depends on ${dependency}, which is not created yet: the service graph order is wrong`);
        }
        return pulumi.output(env);
    });
    return pulumi.all(fromDependencies).apply((lists) => [...own, ...lists.flat(), ...runtime] as EnvVar[]);
}

/** What a caller of a stateless service needs: its URL and, if it has one, its API key. */
function serviceClientEnv(service: ServiceName, url: pulumi.Output<string>): pulumi.Output<EnvVar[]> {
    const prefix = service.toUpperCase();
    const shared = isKeyOwner(service) && SERVICE_KEYS[service].callersRead ? SERVICE_KEYS[service] : undefined;
    return url.apply((value) => [
        { name: `${prefix}_SERVICE_URL`, value },
        ...(shared ? [secretEnv(`${prefix}_SERVICE_API_KEY`, shared.secretName, shared.key)] : []),
    ]);
}

/** Each workload's largest pod count, for the namespace quota. */
export function podBudgets(cfg: Pick<BlogPlatformArgs, "services" | "autoscaling" | "postgres" | "redis">): PodBudget[] {
    const services = Object.values(cfg.services).map((spec) => ({
        resources: spec.resources,
        maxPods: cfg.autoscaling ? spec.maxReplicas : spec.replicas,
    }));
    const gatewayPods = cfg.autoscaling ? cfg.services.gateway.maxReplicas : cfg.services.gateway.replicas;
    // One migration pod per migrating service, with its service's resources, while a rollout runs.
    const migrations = SERVICE_NAMES.filter(isMigratingService).map((service) => ({
        resources: cfg.services[service].resources,
        maxPods: 1,
    }));
    return [
        ...services,
        ...migrations,
        { resources: EXPORTER_RESOURCES, maxPods: gatewayPods },
        { resources: cfg.postgres.resources, maxPods: 1 },
        { resources: cfg.redis.resources, maxPods: 1 },
        // The backup's pod (a manual run or a restore pod by the runbook fits in its surge slot).
        ...(cfg.postgres.backup ? [{ resources: BACKUP_RESOURCES, maxPods: 1 }] : []),
    ];
}
