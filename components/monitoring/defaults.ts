// Images, ports and users of the monitoring workloads, and how their config files are written: the one
// place each is pinned.
import type { ToStringOptions } from "yaml";
import { resourceSpec } from "../shared/resources";

/**
 * How generated config files are written with the yaml package: every string double-quoted, so Prometheus
 * and Alertmanager (Go YAML, which still reads yes/no/on/off as booleans) never see a value change type.
 */
export const CONFIG_YAML: ToStringOptions = { defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN", lineWidth: 0 };

/** Each workload's image, pinned to a release tag. */
export const IMAGES = {
    prometheus: "quay.io/prometheus/prometheus:v3.2.1",
    alertmanager: "quay.io/prometheus/alertmanager:v0.28.1",
    kubeStateMetrics: "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.15.0",
    grafana: "docker.io/grafana/grafana:11.5.2",
} as const;

export const PORTS = {
    prometheus: 9090,
    alertmanager: 9093,
    kubeStateMetrics: 8080,
    /** kube-state-metrics' own telemetry and readiness endpoint. */
    kubeStateMetricsTelemetry: 8081,
    grafana: 3000,
} as const;

/**
 * Non-root UIDs: 65534 (nobody) is the user the Prometheus, Alertmanager and kube-state-metrics images
 * declare; 472 is the grafana user of the Grafana image.
 */
export const UIDS = { prometheus: 65534, alertmanager: 65534, kubeStateMetrics: 65534, grafana: 472 } as const;

/** Requests and limits of the components whose load does not grow with the platform's. */
export const RESOURCES = {
    alertmanager: resourceSpec("10m", "32Mi", "100m", "128Mi"),
    kubeStateMetrics: resourceSpec("20m", "64Mi", "100m", "128Mi"),
    grafana: resourceSpec("50m", "128Mi", "250m", "256Mi"),
} as const;

/** Workload names: object names, pod labels and the `service` label Prometheus gives their targets. */
export const WORKLOADS = {
    prometheus: "prometheus",
    alertmanager: "alertmanager",
    kubeStateMetrics: "kube-state-metrics",
    grafana: "grafana",
} as const;

/**
 * Stack-level defaults, used by config.ts for blog:monitoring and by the component for omitted args.
 * The P95 objectives are the reference's capacity table (gateway 5 ms, auth 50 ms, blog 25 ms, comment 30 ms).
 */
export const MONITORING_DEFAULTS = {
    scrapeInterval: "30s",
    retention: "15d",
    storageSize: "10Gi",
    prometheusResources: resourceSpec("200m", "512Mi", "1", "2Gi"),
    // Selectors cannot name the API server or the kubelets (they are not pods), so by default any
    // address is allowed on their ports only; set the node and control-plane CIDR to narrow it.
    nodeCidr: "0.0.0.0/0",
    thresholds: {
        errorRatio: 0.1,
        crashLoopRestarts: 3,
        p95LatencySeconds: { gateway: 0.005, auth: 0.05, blog: 0.025, comment: 0.03 } as Record<string, number>,
    },
} as const;
