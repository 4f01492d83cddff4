// Pure builders for the monitoring stack: arguments in, plain Kubernetes objects out.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_DNS } from "../shared/network-policy";
import { commonLabels, selectorLabels } from "../shared/labels";
import { parseQuantity } from "../shared/quantity";
import { PodBudget, ResourceSpec } from "../shared/resources";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, writableScratch } from "../shared/security";
import { AlertReceiver } from "./alertmanager-config";
import { DASHBOARDS_DIR } from "./dashboards";
import { IMAGES, MONITORING_DEFAULTS, PORTS, RESOURCES, UIDS, WORKLOADS } from "./defaults";
import { AlertThresholds } from "./rules";

type Input<T> = pulumi.Input<T>;
type Container = k8s.types.input.core.v1.Container;
type PodTemplateSpec = k8s.types.input.core.v1.PodTemplateSpec;
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
    /** Scrape and rule-evaluation interval. @default "30s" */
    scrapeInterval?: string;
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
    /** Webhook receivers by severity; their URLs only ever go into a Secret. @default [] (alerts are not sent) */
    receivers?: readonly AlertReceiver[];
    /** CIDR of the API server and the nodes' kubelets, for the egress of Prometheus and kube-state-metrics. @default "0.0.0.0/0" */
    nodeCidr?: string;
    /** Keeper of the generated Grafana admin password: change it to rotate. */
    secretsRotation: string;
    /** Images. @default IMAGES, pinned */
    images?: Partial<Record<keyof typeof IMAGES, string>>;
    /** The cluster DNS namespace and pod labels. @default kube-system, k8s-app=kube-dns */
    dns?: { namespace: string; podLabels: Record<string, string> };
}

export type ResolvedMonitoringArgs = Required<Omit<MonitoringStackArgs, "storageClass" | "images">> &
    Pick<MonitoringStackArgs, "storageClass"> & { images: Record<keyof typeof IMAGES, string> };

/** Applies the defaults documented on MonitoringStackArgs; the only place they are resolved. */
export function resolveMonitoringArgs(args: MonitoringStackArgs): ResolvedMonitoringArgs {
    return {
        scrapeInterval: args.scrapeInterval ?? MONITORING_DEFAULTS.scrapeInterval,
        retention: args.retention ?? MONITORING_DEFAULTS.retention,
        storageSize: args.storageSize ?? MONITORING_DEFAULTS.storageSize,
        storageClass: args.storageClass,
        prometheusResources: args.prometheusResources ?? MONITORING_DEFAULTS.prometheusResources,
        thresholds: args.thresholds ?? MONITORING_DEFAULTS.thresholds,
        receivers: args.receivers ?? [],
        nodeCidr: args.nodeCidr ?? MONITORING_DEFAULTS.nodeCidr,
        dns: args.dns ?? DEFAULT_DNS,
        images: { ...IMAGES, ...args.images },
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
    return [a.prometheusResources, RESOURCES.alertmanager, RESOURCES.kubeStateMetrics, RESOURCES.grafana]
        .map((resources) => ({ resources, maxPods: 1 }));
}

/** Retention by size at 80% of the claim, so compaction never meets a full disk; Prometheus's MB is MiB. */
export function retentionSize(storageSize: string): string {
    const bytes = parseQuantity(storageSize);
    if (bytes === undefined) {
        throw new Error(`storage size ${storageSize} is not a quantity: config validation should have caught it`);
    }
    return `${Math.floor((bytes * 0.8) / 2 ** 20)}MB`;
}

const httpProbe = (path: string, port: string, periodSeconds: number, failureThreshold: number): k8s.types.input.core.v1.Probe => ({
    httpGet: { path, port }, periodSeconds, failureThreshold, timeoutSeconds: 3,
});

/** A hardened container: restricted security context, pinned image, requests and limits, named ports. */
function container(c: Container & { name: string; image: string; resources: ResourceSpec }): Container {
    return { imagePullPolicy: "IfNotPresent", securityContext: restrictedContainerSecurityContext(), ...c };
}

/** A pod template of one workload; `apiAccess` is true only for the two workloads that read the API. */
function podTemplate(workload: string, uid: number, spec: {
    apiAccess: boolean;
    containers: Container[];
    volumes: k8s.types.input.core.v1.Volume[];
    annotations?: Record<string, Input<string>>;
    terminationGracePeriodSeconds?: number;
}): PodTemplateSpec {
    return {
        metadata: { labels: commonLabels(workload, "monitoring"), annotations: spec.annotations },
        spec: {
            serviceAccountName: workload,
            automountServiceAccountToken: spec.apiAccess,
            securityContext: restrictedPodSecurityContext(uid),
            terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
            containers: spec.containers,
            volumes: spec.volumes,
        },
    };
}

/** Annotations that opt a pod into the reference's scrape job. */
const scrapeAnnotations = (port: number) => ({
    "prometheus.io/scrape": "true",
    "prometheus.io/port": String(port),
    "prometheus.io/path": "/metrics",
});

export const CONFIG_CHECKSUM_ANNOTATION = "blog.example.com/config-checksum";

/** Where the Prometheus ConfigMap's keys land: rule files beside prometheus.yml, as the config names them. */
export const PROMETHEUS_FILES = { config: "prometheus.yml", rules: "alerts.rules.yml", rulesPath: "rules/alerts.rules.yml" } as const;

export function prometheusStatefulSetSpec(a: ResolvedMonitoringArgs, configMapName: Input<string>, checksum: Input<string>): k8s.types.input.apps.v1.StatefulSetSpec {
    const name = WORKLOADS.prometheus;
    return {
        serviceName: name,
        replicas: 1,
        selector: { matchLabels: selectorLabels(name) },
        // Metrics are rebuilt by scraping: turning monitoring off should not leave an orphaned disk.
        persistentVolumeClaimRetentionPolicy: { whenDeleted: "Delete", whenScaled: "Retain" },
        template: podTemplate(name, UIDS.prometheus, {
            // kubernetes_sd lists and watches pods and nodes through the API, and the kubelets authorize
            // cAdvisor reads by this token: the one workload (with kube-state-metrics) that needs it.
            apiAccess: true,
            annotations: { [CONFIG_CHECKSUM_ANNOTATION]: checksum },
            // Time to flush the head block and write a clean WAL checkpoint before SIGKILL.
            terminationGracePeriodSeconds: 120,
            containers: [container({
                name,
                image: a.images.prometheus,
                args: [
                    `--config.file=/etc/prometheus/${PROMETHEUS_FILES.config}`,
                    "--storage.tsdb.path=/prometheus",
                    `--storage.tsdb.retention.time=${a.retention}`,
                    `--storage.tsdb.retention.size=${retentionSize(a.storageSize)}`,
                    `--web.listen-address=:${PORTS.prometheus}`,
                ],
                ports: [{ name: "web", containerPort: PORTS.prometheus, protocol: "TCP" }],
                resources: a.prometheusResources,
                livenessProbe: httpProbe("/-/healthy", "web", 15, 4),
                readinessProbe: httpProbe("/-/ready", "web", 5, 3),
                // Replaying a large WAL after a restart takes minutes; liveness waits for it.
                startupProbe: httpProbe("/-/ready", "web", 5, 120),
                volumeMounts: [
                    { name: "config", mountPath: "/etc/prometheus", readOnly: true },
                    { name: "data", mountPath: "/prometheus" },
                ],
            })],
            volumes: [{
                name: "config",
                configMap: {
                    name: configMapName,
                    items: [
                        { key: PROMETHEUS_FILES.config, path: PROMETHEUS_FILES.config },
                        { key: PROMETHEUS_FILES.rules, path: PROMETHEUS_FILES.rulesPath },
                    ],
                },
            }],
        }),
        volumeClaimTemplates: [{
            metadata: { name: "data", labels: selectorLabels(name) },
            spec: {
                accessModes: ["ReadWriteOnce"],
                storageClassName: a.storageClass,
                resources: { requests: { storage: a.storageSize } },
            },
        }],
    };
}

function singleReplica(name: string, template: PodTemplateSpec): k8s.types.input.apps.v1.DeploymentSpec {
    return {
        replicas: 1,
        revisionHistoryLimit: 5,
        selector: { matchLabels: selectorLabels(name) },
        // One replica: a new pod replaces the old rather than running beside it (Alertmanager's silences
        // and Grafana's sessions are per pod anyway).
        strategy: { type: "Recreate" },
        template,
    };
}

export const ALERTMANAGER_CONFIG_KEY = "alertmanager.yml";

export function alertmanagerDeploymentSpec(a: ResolvedMonitoringArgs, secretName: Input<string>, checksum: Input<string>): k8s.types.input.apps.v1.DeploymentSpec {
    const name = WORKLOADS.alertmanager;
    return singleReplica(name, podTemplate(name, UIDS.alertmanager, {
        apiAccess: false,
        annotations: { ...scrapeAnnotations(PORTS.alertmanager), [CONFIG_CHECKSUM_ANNOTATION]: checksum },
        containers: [container({
            name,
            image: a.images.alertmanager,
            args: [
                `--config.file=/etc/alertmanager/${ALERTMANAGER_CONFIG_KEY}`,
                "--storage.path=/alertmanager",
                `--web.listen-address=:${PORTS.alertmanager}`,
                // A single instance: no gossip port to open or secure.
                "--cluster.listen-address=",
            ],
            ports: [{ name: "web", containerPort: PORTS.alertmanager, protocol: "TCP" }],
            resources: RESOURCES.alertmanager,
            livenessProbe: httpProbe("/-/healthy", "web", 15, 4),
            readinessProbe: httpProbe("/-/ready", "web", 5, 3),
            volumeMounts: [
                { name: "config", mountPath: "/etc/alertmanager", readOnly: true },
                { name: "data", mountPath: "/alertmanager" },
            ],
        })],
        // Silences and notification state live on an emptyDir: losing them on a restart costs a
        // repeated notification, not data.
        volumes: [{ name: "config", secret: { secretName } }, { name: "data", emptyDir: { sizeLimit: "64Mi" } }],
    }));
}

export function kubeStateMetricsDeploymentSpec(a: ResolvedMonitoringArgs): k8s.types.input.apps.v1.DeploymentSpec {
    const name = WORKLOADS.kubeStateMetrics;
    return singleReplica(name, podTemplate(name, UIDS.kubeStateMetrics, {
        // It lists and watches pods, deployments and statefulsets through the API.
        apiAccess: true,
        containers: [container({
            name,
            image: a.images.kubeStateMetrics,
            args: [
                `--port=${PORTS.kubeStateMetrics}`,
                `--telemetry-port=${PORTS.kubeStateMetricsTelemetry}`,
                `--resources=${KUBE_STATE_METRICS_RESOURCES.join(",")}`,
                `--namespaces=${[a.platformNamespace, a.namespace].join(",")}`,
            ],
            ports: [
                { name: "http-metrics", containerPort: PORTS.kubeStateMetrics, protocol: "TCP" },
                { name: "telemetry", containerPort: PORTS.kubeStateMetricsTelemetry, protocol: "TCP" },
            ],
            resources: RESOURCES.kubeStateMetrics,
            livenessProbe: httpProbe("/livez", "http-metrics", 10, 3),
            readinessProbe: httpProbe("/readyz", "telemetry", 5, 3),
        })],
        volumes: [],
    }));
}

/** Keys of the Grafana admin Secret. */
export const GRAFANA_ADMIN_KEYS = { username: "username", password: "password" } as const;

export function grafanaDeploymentSpec(
    a: ResolvedMonitoringArgs,
    names: { adminSecret: Input<string>; provisioning: Input<string>; dashboards: Input<string> },
    checksum: Input<string>,
): k8s.types.input.apps.v1.DeploymentSpec {
    const name = WORKLOADS.grafana;
    const scratch = writableScratch(["/tmp"]);
    const secretEnv = (env: string, key: string) => ({ name: env, valueFrom: { secretKeyRef: { name: names.adminSecret, key } } });
    const provisioning = (kind: "datasources" | "dashboards") => ({
        name: `provisioning-${kind}`,
        configMap: { name: names.provisioning, items: [{ key: `${kind}.yml`, path: `${kind}.yml` }] },
    });
    return singleReplica(name, podTemplate(name, UIDS.grafana, {
        apiAccess: false,
        annotations: { ...scrapeAnnotations(PORTS.grafana), [CONFIG_CHECKSUM_ANNOTATION]: checksum },
        containers: [container({
            name,
            image: a.images.grafana,
            ports: [{ name: "http", containerPort: PORTS.grafana, protocol: "TCP" }],
            env: [
                secretEnv("GF_SECURITY_ADMIN_USER", GRAFANA_ADMIN_KEYS.username),
                secretEnv("GF_SECURITY_ADMIN_PASSWORD", GRAFANA_ADMIN_KEYS.password),
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
            livenessProbe: httpProbe("/api/health", "http", 15, 4),
            readinessProbe: httpProbe("/api/health", "http", 5, 3),
            startupProbe: httpProbe("/api/health", "http", 5, 30),
            volumeMounts: [
                // Everything is provisioned from ConfigMaps, so Grafana's database is disposable.
                { name: "data", mountPath: "/var/lib/grafana" },
                { name: "provisioning-datasources", mountPath: "/etc/grafana/provisioning/datasources", readOnly: true },
                { name: "provisioning-dashboards", mountPath: "/etc/grafana/provisioning/dashboards", readOnly: true },
                { name: "dashboards", mountPath: DASHBOARDS_DIR, readOnly: true },
                ...scratch.mounts,
            ],
        })],
        volumes: [
            { name: "data", emptyDir: { sizeLimit: "256Mi" } },
            provisioning("datasources"),
            provisioning("dashboards"),
            { name: "dashboards", configMap: { name: names.dashboards } },
            ...scratch.volumes,
        ],
    }));
}

/** A ClusterIP Service in front of one workload. */
export function serviceSpec(workload: string, ports: Record<string, number>): k8s.types.input.core.v1.ServiceSpec {
    return {
        type: "ClusterIP",
        selector: selectorLabels(workload),
        ports: Object.entries(ports).map(([name, port]) => ({ name, port, targetPort: name, protocol: "TCP" })),
    };
}
