// The typed view of stack config that parseConfig returns; only types, so every module can import it.
import type { AlertReceiver } from "../components/monitoring/alertmanager-config";
import type { AlertThresholds } from "../components/monitoring/rules";
import type { PostgresBackupArgs } from "../components/postgres/backup";
import type { ResourceSpec } from "../components/shared/resources";
import type { RoutableService, ServiceName } from "../components/shared/topology";

export type Environment = "dev" | "prod";
export type GatewayExposure = "ClusterIP" | "LoadBalancer" | "Ingress";

export interface ServiceConfig {
    /** Fully qualified image reference with a pinned tag or digest. */
    image: string;
    /** Replicas when autoscaling is off; the HPA's floor is minReplicas when it is on. */
    replicas: number;
    minReplicas: number;
    maxReplicas: number;
    /** Seconds the HPA waits at a lower recommendation before it scales down (its scaleDown stabilization window). */
    scaleDownStabilizationSeconds: number;
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

/** blog:postgres.backup: a scheduled pg_dump to a claim of its own (components/postgres/backup.ts, docs/backup.md). */
export interface PostgresBackupConfig extends PostgresBackupArgs {
    /** Default: on in prod, off in dev. */
    enabled: boolean;
}

/** The monitoring stack (blog:monitoring); see components/monitoring and docs/monitoring.md. */
export interface MonitoringConfig {
    enabled: boolean;
    /** Where the stack runs when enabled; when disabled and set, an existing Prometheus's namespace. */
    namespace: string;
    /** Prometheus durations, e.g. "30s" and "15d". */
    scrapeInterval: string;
    /** How often Prometheus evaluates the alert rules: the scrape interval unless set. */
    evaluationInterval: string;
    retention: string;
    storageSize: string;
    /** StorageClass of Prometheus's claim; undefined means the cluster's default class. */
    storageClass?: string;
    prometheusResources: ResourceSpec;
    /** CIDR of the API server and kubelets, for Prometheus's and kube-state-metrics' egress. */
    nodeCidr: string;
    alerts: AlertThresholds;
    /** `for` of the alerts set in config (alerts.for), by alert name; the others keep the catalogue's. */
    alertFor: Record<string, string>;
    /** Alertmanager's group_interval (alerts.groupInterval): the wait before notifying changes in a notified group. */
    groupInterval: string;
    /** Webhook receivers; their URLs are secrets, so the component only ever puts them in a Secret. */
    receivers: AlertReceiver[];
    /** Images set by config or the image lock; the component's pinned upstream images fill the rest. */
    images: Partial<Record<MonitoringImage, string>>;
    /** Whether Grafana runs: not when an image lock is used that has no Grafana image (none is built here). */
    grafana: boolean;
}

export type MonitoringImage = "prometheus" | "alertmanager" | "kubeStateMetrics" | "grafana";

export interface PlatformConfig {
    environment: Environment;
    namespace: string;
    /** The target cluster: a kubeconfig file path (absolute) or inline content, and a context. */
    cluster: { kubeconfig?: string; context?: string };
    services: Record<ServiceName, ServiceConfig>;
    autoscaling: boolean;
    spreadAcrossNodes: boolean;
    verticalPodAutoscaling: boolean;
    /** Protect the database, its claims and the namespace from deletion and replacement. */
    dataProtection: boolean;
    /** Deploy the pack's single-object rules as ValidatingAdmissionPolicies bound to the platform's namespaces. */
    admissionPolicies: boolean;
    /** Keeper for generated secrets: changing it rotates every generated password and key. */
    secretsRotation: string;
    postgres: DataStoreConfig & { database: string; user: string; backup: PostgresBackupConfig };
    redis: DataStoreConfig & { persistence: boolean };
    gateway: {
        exposure: GatewayExposure;
        domain?: string;
        ingressClassName?: string;
        tlsSecretName?: string;
        routes: Route[];
        /** Image of the gateway's per-route metrics exporter sidecar; undefined means the component's pinned upstream image. */
        exporterImage?: string;
    };
    /**
     * Namespace admitted to the platform's metrics ports: monitoring.namespace when monitoring is enabled
     * or that key is set (an existing Prometheus); undefined otherwise.
     */
    metricsScraperNamespace?: string;
    monitoring: MonitoringConfig;
}
