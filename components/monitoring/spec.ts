// Pure builders for the monitoring stack: arguments in, plain Kubernetes objects out.
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { DEFAULT_DNS } from "../shared/network-policy";
import { parseQuantity } from "../shared/quantity";
import type { PodBudget, ResourceSpec } from "../shared/resources";
import {
    claimTemplate,
    secretEnv,
    hardenedContainer,
    podTemplate,
    Probe,
    singleReplicaDeploymentSpec,
    statefulSetSpec,
    TMP,
} from "../shared/workload";
import { type AlertReceiver, DEFAULT_GROUP_INTERVAL } from "./alertmanager-config";
import { DASHBOARDS_DIR } from "./dashboards";
import { IMAGES, MONITORING_DEFAULTS, PORTS, RESOURCES, UIDS, WORKLOADS } from "./defaults";
import type { AlertThresholds } from "./rules";

type Input<T> = pulumi.Input<T>;
type PolicyRule = k8s.types.input.rbac.v1.PolicyRule;

export interface MonitoringStackArgs {
    /** Namespace the stack runs in; the component creates it with restricted Pod Security Admission. */
    namespace: string;
    /** Namespace of the platform: its annotated pods are scraped and its alerts evaluated. */
    platformNamespace: string;
    /** Ports the platform's pods serve metrics on: Prometheus may reach exactly these there. */
    platformMetricsPorts: readonly number[];
    /** Services exporting http_requests_total and http_request_duration_seconds: one RED dashboard each. */
    services: readonly string[];
    /** Scrape interval. @default "30s" */
    scrapeInterval?: string;
    /** Rule-evaluation interval. @default scrapeInterval */
    evaluationInterval?: string;
    /** How long Prometheus keeps samples. @default "15d" */
    retention?: string;
    /** Size of Prometheus's claim; retention by size stops at 80% of it. @default "10Gi" */
    storageSize?: string;
    /** StorageClass of the claim. @default the cluster's default class */
    storageClass?: string;
    /** Requests and limits of Prometheus. @default 200m/512Mi requested, 1 CPU/2Gi limit */
    prometheusResources?: ResourceSpec;
    /** Alert thresholds. @default MONITORING_DEFAULTS.thresholds (the reference's values) */
    thresholds?: AlertThresholds;
    /** How long each alert's condition must hold before it fires, by alert name. @default the catalogue's (rules.ts) */
    alertFor?: Readonly<Record<string, string>>;
    /** How long Alertmanager waits before notifying changes (new alerts, resolutions) in a group it already notified. @default "5m" */
    groupInterval?: string;
    /** Webhook receivers by severity; their URLs only ever go into a Secret. @default [] (alerts are not sent) */
    receivers?: readonly AlertReceiver[];
    /** CIDR of the API server and the nodes' kubelets, for the egress of Prometheus and kube-state-metrics. @default "0.0.0.0/0" */
    nodeCidr?: string;
    /** Keeper of the generated Grafana admin password: change it to rotate. */
    secretsRotation: string;
    /** Images. @default IMAGES, pinned */
    images?: Partial<Record<keyof typeof IMAGES, string>>;
    /**
     * Run Grafana. Off where no Grafana image can be had (the local stacks build every image themselves,
     * and Grafana's source is not used here); dashboards then stay in the repo. @default true
     */
    grafana?: boolean;
    /** The cluster DNS namespace and pod labels. @default kube-system, k8s-app=kube-dns */
    dns?: { namespace: string; podLabels: Record<string, string> };
}

export type ResolvedMonitoringArgs = Required<Omit<MonitoringStackArgs, "storageClass" | "images">> &
    Pick<MonitoringStackArgs, "storageClass"> & { images: Record<keyof typeof IMAGES, string> };

/** Applies the defaults documented on MonitoringStackArgs; the only place they are resolved. */
export function resolveMonitoringArgs(args: MonitoringStackArgs): ResolvedMonitoringArgs {
    return {
        scrapeInterval: args.scrapeInterval ?? MONITORING_DEFAULTS.scrapeInterval,
        evaluationInterval: args.evaluationInterval ?? args.scrapeInterval ?? MONITORING_DEFAULTS.scrapeInterval,
        alertFor: args.alertFor ?? {},
        groupInterval: args.groupInterval ?? DEFAULT_GROUP_INTERVAL,
        retention: args.retention ?? MONITORING_DEFAULTS.retention,
        storageSize: args.storageSize ?? MONITORING_DEFAULTS.storageSize,
        storageClass: args.storageClass,
        prometheusResources: args.prometheusResources ?? MONITORING_DEFAULTS.prometheusResources,
        thresholds: args.thresholds ?? MONITORING_DEFAULTS.thresholds,
        receivers: args.receivers ?? [],
        nodeCidr: args.nodeCidr ?? MONITORING_DEFAULTS.nodeCidr,
        dns: args.dns ?? DEFAULT_DNS,
        images: { ...IMAGES, ...args.images },
        grafana: args.grafana ?? true,
        namespace: args.namespace,
        platformNamespace: args.platformNamespace,
        platformMetricsPorts: args.platformMetricsPorts,
        services: args.services,
        secretsRotation: args.secretsRotation,
    };
}

/** Cluster-scoped objects are shared by every stack on a cluster: the namespace keeps their names apart. */
export function clusterScopedName(namespace: string, workload: string): string {
    return `${namespace}-${workload}`;
}

/** Prometheus's discovery: read-only on what kubernetes_sd watches, plus the kubelets' metrics (cAdvisor). */
export const PROMETHEUS_RULES: PolicyRule[] = [
    { apiGroups: [""], resources: ["pods", "endpoints", "services", "nodes"], verbs: ["get", "list", "watch"] },
    { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["get", "list", "watch"] },
    { apiGroups: [""], resources: ["nodes/metrics"], verbs: ["get"] },
];

/**
 * Only the resources kube-state-metrics is told to export (see its --resources): upstream's default
 * role also lists and watches every Secret in the cluster, which nothing here needs.
 */
export const KUBE_STATE_METRICS_RESOURCES = ["pods", "deployments", "statefulsets"] as const;
export const KUBE_STATE_METRICS_RULES: PolicyRule[] = [
    { apiGroups: [""], resources: ["pods"], verbs: ["list", "watch"] },
    { apiGroups: ["apps"], resources: ["deployments", "statefulsets"], verbs: ["list", "watch"] },
];

/** Each monitoring pod's shape, to size the namespace quota. */
export function monitoringBudgets(a: ResolvedMonitoringArgs): PodBudget[] {
    const grafana = a.grafana ? [RESOURCES.grafana] : [];
    return [a.prometheusResources, RESOURCES.alertmanager, RESOURCES.kubeStateMetrics, ...grafana].map((resources) => ({
        resources,
        maxPods: 1,
    }));
}

/** Retention by size at 80% of the claim, so compaction never meets a full disk; Prometheus's MB is MiB. */
export function retentionSize(storageSize: string): string {
    const bytes = parseQuantity(storageSize);
    if (bytes === undefined) {
        throw new Error(`storage size ${storageSize} is not a quantity: config validation should have caught it`);
    }
    return `${Math.floor((bytes * 0.8) / 2 ** 20)}MB`;
}

/** Where the Prometheus ConfigMap's keys land: rule files beside prometheus.yml, as the config names them. */
export const PROMETHEUS_FILES = { config: "prometheus.yml", rules: "alerts.rules.yml", rulesPath: "rules/alerts.rules.yml" } as const;

export function prometheusStatefulSetSpec(
    a: ResolvedMonitoringArgs,
    configMapName: Input<string>,
    checksum: Input<string>,
): k8s.types.input.apps.v1.StatefulSetSpec {
    const name = WORKLOADS.prometheus;
    const prometheus = hardenedContainer({
        name,
        image: a.images.prometheus,
        args: [
            `--config.file=/etc/prometheus/${PROMETHEUS_FILES.config}`,
            "--storage.tsdb.path=/prometheus",
            `--storage.tsdb.retention.time=${a.retention}`,
            `--storage.tsdb.retention.size=${retentionSize(a.storageSize)}`,
            `--web.listen-address=:${PORTS.prometheus}`,
        ],
        ports: { web: PORTS.prometheus },
        resources: a.prometheusResources,
        probes: {
            liveness: Probe.http("/-/healthy", "web", { periodSeconds: 15, failureThreshold: 4 }),
            readiness: Probe.http("/-/ready", "web", { periodSeconds: 5, failureThreshold: 3 }),
            // Replaying a large WAL after a restart takes minutes; liveness waits for it.
            startup: Probe.http("/-/ready", "web", { periodSeconds: 5, failureThreshold: 120 }),
        },
        mounts: [
            { name: "config", mountPath: "/etc/prometheus", readOnly: true },
            { name: "data", mountPath: "/prometheus" },
        ],
        scratch: [TMP],
    });
    return statefulSetSpec(
        name,
        podTemplate({
            workload: name,
            component: "monitoring",
            uid: UIDS.prometheus,
            // kubernetes_sd lists and watches pods and nodes through the API, and the kubelets authorize
            // cAdvisor reads by this token: the one workload (with kube-state-metrics) that needs it.
            apiAccess: true,
            configChecksum: checksum,
            // Time to flush the head block and write a clean WAL checkpoint before SIGKILL.
            terminationGracePeriodSeconds: 120,
            containers: [prometheus],
            volumes: [
                {
                    name: "config",
                    configMap: {
                        name: configMapName,
                        items: [
                            { key: PROMETHEUS_FILES.config, path: PROMETHEUS_FILES.config },
                            { key: PROMETHEUS_FILES.rules, path: PROMETHEUS_FILES.rulesPath },
                        ],
                    },
                },
            ],
        }),
        [claimTemplate(name, "data", a.storageSize, a.storageClass)],
        // Metrics are rebuilt by scraping: turning monitoring off should not leave an orphaned disk.
        false,
    );
}

export const ALERTMANAGER_CONFIG_KEY = "alertmanager.yml";

export function alertmanagerDeploymentSpec(
    a: ResolvedMonitoringArgs,
    secretName: Input<string>,
    checksum: Input<string>,
): k8s.types.input.apps.v1.DeploymentSpec {
    const name = WORKLOADS.alertmanager;
    const alertmanager = hardenedContainer({
        name,
        image: a.images.alertmanager,
        args: [
            `--config.file=/etc/alertmanager/${ALERTMANAGER_CONFIG_KEY}`,
            "--storage.path=/alertmanager",
            `--web.listen-address=:${PORTS.alertmanager}`,
            // A single instance: no gossip port to open or secure.
            "--cluster.listen-address=",
        ],
        ports: { web: PORTS.alertmanager },
        resources: RESOURCES.alertmanager,
        probes: {
            liveness: Probe.http("/-/healthy", "web", { periodSeconds: 15, failureThreshold: 4 }),
            readiness: Probe.http("/-/ready", "web", { periodSeconds: 5, failureThreshold: 3 }),
        },
        mounts: [{ name: "config", mountPath: "/etc/alertmanager", readOnly: true }],
        // Silences and notification state: losing them on a restart costs a repeated notification, not data.
        scratch: [{ name: "data", path: "/alertmanager", size: "64Mi" }, TMP],
    });
    // One replica: a new pod replaces the old rather than running beside it (silences are per pod anyway).
    return singleReplicaDeploymentSpec(
        name,
        podTemplate({
            workload: name,
            component: "monitoring",
            uid: UIDS.alertmanager,
            scrape: { port: PORTS.alertmanager },
            configChecksum: checksum,
            containers: [alertmanager],
            volumes: [{ name: "config", secret: { secretName } }],
        }),
    );
}

export function kubeStateMetricsDeploymentSpec(a: ResolvedMonitoringArgs): k8s.types.input.apps.v1.DeploymentSpec {
    const name = WORKLOADS.kubeStateMetrics;
    const exporter = hardenedContainer({
        name,
        image: a.images.kubeStateMetrics,
        args: [
            `--port=${PORTS.kubeStateMetrics}`,
            `--telemetry-port=${PORTS.kubeStateMetricsTelemetry}`,
            `--resources=${KUBE_STATE_METRICS_RESOURCES.join(",")}`,
            `--namespaces=${[a.platformNamespace, a.namespace].join(",")}`,
        ],
        ports: { "http-metrics": PORTS.kubeStateMetrics, telemetry: PORTS.kubeStateMetricsTelemetry },
        resources: RESOURCES.kubeStateMetrics,
        probes: {
            liveness: Probe.http("/livez", "http-metrics", { periodSeconds: 10, failureThreshold: 3 }),
            readiness: Probe.http("/readyz", "telemetry", { periodSeconds: 5, failureThreshold: 3 }),
        },
        scratch: [TMP],
    });
    // It lists and watches pods, deployments and statefulsets through the API.
    return singleReplicaDeploymentSpec(
        name,
        podTemplate({
            workload: name,
            component: "monitoring",
            uid: UIDS.kubeStateMetrics,
            apiAccess: true,
            containers: [exporter],
        }),
    );
}

/** Keys of the Grafana admin Secret. */
export const GRAFANA_ADMIN_KEYS = { username: "username", password: "password" } as const;

export function grafanaDeploymentSpec(
    a: ResolvedMonitoringArgs,
    names: { adminSecret: Input<string>; provisioning: Input<string>; dashboards: Input<string> },
    checksum: Input<string>,
): k8s.types.input.apps.v1.DeploymentSpec {
    const name = WORKLOADS.grafana;
    const provisioning = (kind: "datasources" | "dashboards") => ({
        name: `provisioning-${kind}`,
        configMap: { name: names.provisioning, items: [{ key: `${kind}.yml`, path: `${kind}.yml` }] },
    });
    const grafana = hardenedContainer({
        name,
        image: a.images.grafana,
        ports: { http: PORTS.grafana },
        env: [
            secretEnv("GF_SECURITY_ADMIN_USER", names.adminSecret, GRAFANA_ADMIN_KEYS.username),
            secretEnv("GF_SECURITY_ADMIN_PASSWORD", names.adminSecret, GRAFANA_ADMIN_KEYS.password),
            { name: "GF_USERS_ALLOW_SIGN_UP", value: "false" },
            { name: "GF_AUTH_ANONYMOUS_ENABLED", value: "false" },
            // The cluster may have no route to grafana.com; these calls would only log failures.
            { name: "GF_ANALYTICS_REPORTING_ENABLED", value: "false" },
            { name: "GF_ANALYTICS_CHECK_FOR_UPDATES", value: "false" },
            { name: "GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES", value: "false" },
            { name: "GF_PLUGINS_PREINSTALL_DISABLED", value: "true" },
            { name: "GF_LOG_MODE", value: "console" },
        ],
        resources: RESOURCES.grafana,
        probes: {
            // /api/health also checks Grafana's database: not ready without it, but alive while the port answers.
            liveness: Probe.tcp("http", { periodSeconds: 15, failureThreshold: 4 }),
            readiness: Probe.http("/api/health", "http", { periodSeconds: 5, failureThreshold: 3 }),
            startup: Probe.http("/api/health", "http", { periodSeconds: 5, failureThreshold: 30 }),
        },
        mounts: [
            { name: "provisioning-datasources", mountPath: "/etc/grafana/provisioning/datasources", readOnly: true },
            { name: "provisioning-dashboards", mountPath: "/etc/grafana/provisioning/dashboards", readOnly: true },
            { name: "dashboards", mountPath: DASHBOARDS_DIR, readOnly: true },
        ],
        // Everything is provisioned from ConfigMaps, so Grafana's database is disposable.
        scratch: [{ name: "data", path: "/var/lib/grafana", size: "256Mi" }, TMP],
    });
    return singleReplicaDeploymentSpec(
        name,
        podTemplate({
            workload: name,
            component: "monitoring",
            uid: UIDS.grafana,
            scrape: { port: PORTS.grafana },
            configChecksum: checksum,
            containers: [grafana],
            volumes: [
                provisioning("datasources"),
                provisioning("dashboards"),
                { name: "dashboards", configMap: { name: names.dashboards } },
            ],
        }),
    );
}
