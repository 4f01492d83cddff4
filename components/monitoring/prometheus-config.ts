// Generates prometheus.yml: the reference's annotation-driven pod discovery, kube-state-metrics,
// the kubelets' cAdvisor, Alertmanager and the rule files.
import { PORTS } from "./defaults";
import { KUBE_STATE_METRICS_JOB } from "./rules";
import { stringify } from "yaml";
import { CONFIG_YAML } from "./defaults";

/** Where Kubernetes mounts a pod's service-account token and cluster CA. */
export const IN_CLUSTER_SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

export interface PrometheusConfigOptions {
    /** How often every target is scraped, e.g. "30s". */
    scrapeInterval: string;
    /** How often every rule is evaluated. @default scrapeInterval */
    evaluationInterval?: string;
    /** Namespaces whose pods are discovered; only pods annotated prometheus.io/scrape=true are scraped. */
    namespaces: readonly string[];
    /** host:port of kube-state-metrics' metrics endpoint. */
    kubeStateMetrics: string;
    /** host:port of Alertmanager. */
    alertmanager: string;
    /** Rule files, relative to prometheus.yml. */
    ruleFiles: readonly string[];
    /** Directory holding the service-account token and CA for the kubelets. @default the in-cluster mount */
    serviceAccountDir?: string;
}

/** cAdvisor series the resource dashboards read; everything else it exposes is dropped at ingestion. */
const CADVISOR_METRICS = ["container_cpu_usage_seconds_total", "container_memory_working_set_bytes"];

export function prometheusConfig(o: PrometheusConfigOptions): Record<string, unknown> {
    const saDir = o.serviceAccountDir ?? IN_CLUSTER_SERVICE_ACCOUNT_DIR;
    const namespaces = { names: [...o.namespaces] };
    return {
        global: {
            scrape_interval: o.scrapeInterval,
            evaluation_interval: o.evaluationInterval ?? o.scrapeInterval,
        },
        rule_files: [...o.ruleFiles],
        alerting: { alertmanagers: [{ static_configs: [{ targets: [o.alertmanager] }] }] },
        scrape_configs: [
            { job_name: "prometheus", static_configs: [{ targets: [`localhost:${PORTS.prometheus}`] }] },
            {
                // The reference's job: pods opt in with prometheus.io/scrape and may move the endpoint
                // with prometheus.io/path and prometheus.io/port.
                job_name: "kubernetes-pods",
                kubernetes_sd_configs: [{ role: "pod", namespaces }],
                relabel_configs: [
                    { source_labels: ["__meta_kubernetes_pod_annotation_prometheus_io_scrape"], action: "keep", regex: "true" },
                    // Finished pods keep their IP in the API for a while; scraping them only makes noise.
                    { source_labels: ["__meta_kubernetes_pod_phase"], action: "drop", regex: "Pending|Succeeded|Failed" },
                    {
                        source_labels: ["__meta_kubernetes_pod_annotation_prometheus_io_path"],
                        action: "replace",
                        target_label: "__metrics_path__",
                        regex: "(.+)",
                    },
                    {
                        source_labels: ["__address__", "__meta_kubernetes_pod_annotation_prometheus_io_port"],
                        action: "replace",
                        regex: "([^:]+)(?::\\d+)?;(\\d+)",
                        replacement: "$1:$2",
                        target_label: "__address__",
                    },
                    { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
                    { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
                    // The workload's name is what the alerts and dashboards group by.
                    { source_labels: ["__meta_kubernetes_pod_label_app_kubernetes_io_name"], target_label: "service" },
                ],
            },
            {
                job_name: KUBE_STATE_METRICS_JOB,
                // Its series describe other pods: keep their namespace and pod labels, not the exporter's.
                honor_labels: true,
                static_configs: [{ targets: [o.kubeStateMetrics] }],
            },
            {
                // CPU and memory usage per container, from each kubelet's cAdvisor endpoint (role node
                // targets the kubelet port). Kubelet serving certificates are usually self-signed, hence
                // no verification; the bearer token is what authorizes the read (nodes/metrics).
                job_name: "kubelet-cadvisor",
                scheme: "https",
                metrics_path: "/metrics/cadvisor",
                kubernetes_sd_configs: [{ role: "node" }],
                authorization: { credentials_file: `${saDir}/token` },
                tls_config: { ca_file: `${saDir}/ca.crt`, insecure_skip_verify: true },
                relabel_configs: [{ source_labels: ["__meta_kubernetes_node_name"], target_label: "node" }],
                metric_relabel_configs: [
                    { source_labels: ["__name__"], action: "keep", regex: CADVISOR_METRICS.join("|") },
                    { source_labels: ["namespace"], action: "keep", regex: o.namespaces.join("|") },
                ],
            },
        ],
    };
}

/** prometheus.yml as Prometheus reads it. */
export function prometheusYaml(o: PrometheusConfigOptions): string {
    return stringify(prometheusConfig(o), CONFIG_YAML);
}
