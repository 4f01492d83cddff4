// The monitoring stack: its namespace, Prometheus, kube-state-metrics, Alertmanager and Grafana.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PlatformNamespace } from "../namespace/component";
import { createGeneratedSecret } from "../shared/generated-secret";
import { commonLabels } from "../shared/labels";
import { clusterIpServiceSpec, configChecksum } from "../shared/workload";
import { alertmanagerYaml } from "./alertmanager-config";
import { dashboardProvidersYaml, dashboards, datasourcesYaml } from "./dashboards";
import { PORTS, WORKLOADS } from "./defaults";
import { monitoringNetworkPolicies } from "./network";
import { prometheusYaml } from "./prometheus-config";
import { alertRules } from "./rules";
import {
    ALERTMANAGER_CONFIG_KEY,
    alertmanagerDeploymentSpec,
    clusterScopedName,
    GRAFANA_ADMIN_KEYS,
    grafanaDeploymentSpec,
    KUBE_STATE_METRICS_RULES,
    kubeStateMetricsDeploymentSpec,
    monitoringBudgets,
    type MonitoringStackArgs,
    PROMETHEUS_FILES,
    PROMETHEUS_RULES,
    prometheusStatefulSetSpec,
    resolveMonitoringArgs,
} from "./spec";

export class MonitoringStack extends pulumi.ComponentResource {
    readonly namespace: pulumi.Output<string>;
    /** Grafana's admin password: a secret output; undefined without Grafana. */
    readonly grafanaAdminPassword?: pulumi.Output<string>;
    /** The alertmanager.yml deployed (it holds the webhook URLs): a secret output. */
    readonly alertmanagerConfig: pulumi.Output<string>;
    /** How to open Grafana on http://localhost:3000; undefined without Grafana. */
    readonly grafanaPortForward?: pulumi.Output<string>;

    constructor(name: string, args: MonitoringStackArgs, opts?: pulumi.ComponentResourceOptions) {
        super("blog:monitoring:MonitoringStack", name, {}, opts);
        const a = resolveMonitoringArgs(args);
        const parent = { parent: this };

        // Metrics history is rebuilt by scraping, so the namespace is never protected: turning
        // monitoring off must be able to delete it.
        const ns = new PlatformNamespace(
            `${name}-namespace`,
            { name: a.namespace, budgets: monitoringBudgets(a), dataProtection: false },
            parent,
        );
        const namespace = ns.name;
        const inNamespace = { parent: this, dependsOn: [ns] };
        const metadata = (workload: string, objectName: string = workload) => ({
            name: objectName,
            namespace,
            labels: commonLabels(workload, "monitoring"),
        });

        // No token by default: the two pods that read the API opt in on their own pod spec.
        const serviceAccount = (workload: string) =>
            new k8s.core.v1.ServiceAccount(
                `${name}-${workload}-service-account`,
                { metadata: metadata(workload), automountServiceAccountToken: false },
                inNamespace,
            );
        const clusterRole = (workload: string, rules: k8s.types.input.rbac.v1.PolicyRule[]) => {
            const roleName = clusterScopedName(a.namespace, workload);
            const role = new k8s.rbac.v1.ClusterRole(
                `${name}-${workload}-cluster-role`,
                {
                    metadata: { name: roleName, labels: commonLabels(workload, "monitoring") },
                    rules,
                },
                parent,
            );
            new k8s.rbac.v1.ClusterRoleBinding(
                `${name}-${workload}-cluster-role-binding`,
                {
                    metadata: { name: roleName, labels: commonLabels(workload, "monitoring") },
                    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
                    subjects: [{ kind: "ServiceAccount", name: workload, namespace }],
                },
                parent,
            );
        };
        const service = (workload: string, ports: Record<string, number>) =>
            new k8s.core.v1.Service(
                `${name}-${workload}-service`,
                { metadata: metadata(workload), spec: clusterIpServiceSpec(workload, ports) },
                inNamespace,
            );
        const serviceHost = (workload: string, port: number) => `${workload}.${a.namespace}.svc.cluster.local:${port}`;

        for (const [workload, spec] of Object.entries(monitoringNetworkPolicies(a))) {
            new k8s.networking.v1.NetworkPolicy(`${name}-${workload}-network-policy`, { metadata: metadata(workload), spec }, inNamespace);
        }

        // Prometheus: discovery RBAC, config and rules in one ConfigMap, a StatefulSet with its claim.
        serviceAccount(WORKLOADS.prometheus);
        clusterRole(WORKLOADS.prometheus, PROMETHEUS_RULES);
        const prometheusFiles = {
            [PROMETHEUS_FILES.config]: prometheusYaml({
                scrapeInterval: a.scrapeInterval,
                evaluationInterval: a.evaluationInterval,
                namespaces: [a.platformNamespace, a.namespace],
                kubeStateMetrics: serviceHost(WORKLOADS.kubeStateMetrics, PORTS.kubeStateMetrics),
                alertmanager: serviceHost(WORKLOADS.alertmanager, PORTS.alertmanager),
                ruleFiles: [PROMETHEUS_FILES.rulesPath],
            }),
            [PROMETHEUS_FILES.rules]: alertRules({
                platformNamespace: a.platformNamespace,
                monitoringNamespace: a.namespace,
                thresholds: a.thresholds,
                for: a.alertFor,
            }),
        };
        const prometheusConfig = new k8s.core.v1.ConfigMap(
            `${name}-prometheus-config`,
            {
                metadata: metadata(WORKLOADS.prometheus, "prometheus-config"),
                data: prometheusFiles,
            },
            inNamespace,
        );
        const prometheusService = service(WORKLOADS.prometheus, { web: PORTS.prometheus });
        new k8s.apps.v1.StatefulSet(
            `${name}-prometheus-statefulset`,
            {
                metadata: metadata(WORKLOADS.prometheus),
                spec: prometheusStatefulSetSpec(a, prometheusConfig.metadata.name, configChecksum(prometheusFiles)),
            },
            { parent: this, dependsOn: [ns, prometheusService] },
        );

        // kube-state-metrics: the cluster's state as metrics (restarts, readiness, requests, limits).
        serviceAccount(WORKLOADS.kubeStateMetrics);
        clusterRole(WORKLOADS.kubeStateMetrics, KUBE_STATE_METRICS_RULES);
        service(WORKLOADS.kubeStateMetrics, { "http-metrics": PORTS.kubeStateMetrics, telemetry: PORTS.kubeStateMetricsTelemetry });
        new k8s.apps.v1.Deployment(
            `${name}-kube-state-metrics-deployment`,
            {
                metadata: metadata(WORKLOADS.kubeStateMetrics),
                spec: kubeStateMetricsDeploymentSpec(a),
            },
            inNamespace,
        );

        // Alertmanager: its config names webhook URLs, so it lives in a Secret and stays a secret output.
        serviceAccount(WORKLOADS.alertmanager);
        this.alertmanagerConfig = pulumi.secret(alertmanagerYaml(a.receivers, a.groupInterval));
        const alertmanagerSecret = new k8s.core.v1.Secret(
            `${name}-alertmanager-config`,
            {
                metadata: metadata(WORKLOADS.alertmanager, "alertmanager-config"),
                type: "Opaque",
                stringData: { [ALERTMANAGER_CONFIG_KEY]: this.alertmanagerConfig },
            },
            inNamespace,
        );
        service(WORKLOADS.alertmanager, { web: PORTS.alertmanager });
        new k8s.apps.v1.Deployment(
            `${name}-alertmanager-deployment`,
            {
                metadata: metadata(WORKLOADS.alertmanager),
                // A hash of the config rolls the pod when it changes. It is computed from the plain value on
                // purpose: derived from the secret output it would make the whole spec secret, hiding every
                // diff; a 32-bit hash reveals nothing usable about the URLs (Helm's checksum/secret idiom).
                spec: alertmanagerDeploymentSpec(
                    a,
                    alertmanagerSecret.metadata.name,
                    configChecksum({ [ALERTMANAGER_CONFIG_KEY]: alertmanagerYaml(a.receivers, a.groupInterval) }),
                ),
            },
            inNamespace,
        );

        // Grafana (when an image for it exists): a generated admin password, the datasource and dashboards
        // provisioned from ConfigMaps.
        if (a.grafana) {
            serviceAccount(WORKLOADS.grafana);
            const admin = createGeneratedSecret(
                `${name}-grafana-admin`,
                {
                    namespace,
                    secretName: "grafana-admin",
                    generated: { [GRAFANA_ADMIN_KEYS.password]: 32 },
                    literal: { [GRAFANA_ADMIN_KEYS.username]: "admin" },
                    rotation: a.secretsRotation,
                    component: "monitoring",
                },
                inNamespace,
            );
            const provisioningFiles = {
                "datasources.yml": datasourcesYaml(`http://${serviceHost(WORKLOADS.prometheus, PORTS.prometheus)}`, a.scrapeInterval),
                "dashboards.yml": dashboardProvidersYaml(),
            };
            const dashboardFiles = Object.fromEntries(
                Object.entries(
                    dashboards({
                        platformNamespace: a.platformNamespace,
                        monitoringNamespace: a.namespace,
                        services: a.services,
                        p95LatencySeconds: a.thresholds.p95LatencySeconds,
                        errorRatio: a.thresholds.errorRatio,
                    }),
                ).map(([file, dashboard]) => [file, JSON.stringify(dashboard, null, 2)]),
            );
            const provisioning = new k8s.core.v1.ConfigMap(
                `${name}-grafana-provisioning`,
                {
                    metadata: metadata(WORKLOADS.grafana, "grafana-provisioning"),
                    data: provisioningFiles,
                },
                inNamespace,
            );
            const dashboardsConfig = new k8s.core.v1.ConfigMap(
                `${name}-grafana-dashboards`,
                {
                    metadata: metadata(WORKLOADS.grafana, "grafana-dashboards"),
                    data: dashboardFiles,
                },
                inNamespace,
            );
            const grafanaService = service(WORKLOADS.grafana, { http: PORTS.grafana });
            new k8s.apps.v1.Deployment(
                `${name}-grafana-deployment`,
                {
                    metadata: metadata(WORKLOADS.grafana),
                    spec: grafanaDeploymentSpec(
                        a,
                        {
                            adminSecret: admin.secret.metadata.name,
                            provisioning: provisioning.metadata.name,
                            dashboards: dashboardsConfig.metadata.name,
                        },
                        configChecksum({ ...provisioningFiles, ...dashboardFiles }),
                    ),
                },
                inNamespace,
            );
            this.grafanaAdminPassword = pulumi.secret(admin.values[GRAFANA_ADMIN_KEYS.password]);
            const target = pulumi.interpolate`service/${grafanaService.metadata.name} ${PORTS.grafana}:${PORTS.grafana}`;
            this.grafanaPortForward = pulumi.interpolate`kubectl --namespace ${namespace} port-forward ${target}`;
        }
        this.namespace = namespace;
        this.registerOutputs({
            namespace: this.namespace,
            grafanaAdminPassword: this.grafanaAdminPassword,
            alertmanagerConfig: this.alertmanagerConfig,
            grafanaPortForward: this.grafanaPortForward,
        });
    }
}
