// Generates the Grafana dashboards (RED per service, pod restarts, CPU and memory against requests and
// limits) and the provisioning files that load them and the Prometheus datasource.
import { stringify } from "yaml";
import { CONFIG_YAML } from "./defaults";
import { GATEWAY } from "./rules";

/** The datasource's fixed uid, so dashboards can name it without a lookup. */
export const DATASOURCE_UID = "prometheus";
/** Where the dashboards' ConfigMap is mounted in the Grafana container. */
export const DASHBOARDS_DIR = "/etc/grafana/dashboards";

export interface DashboardOptions {
    platformNamespace: string;
    monitoringNamespace: string;
    /** Services that export http_requests_total and http_request_duration_seconds: one RED dashboard each. */
    services: readonly string[];
    /** P95 objectives in seconds, drawn as a threshold line on the latency panels. */
    p95LatencySeconds: Record<string, number>;
    /** HighErrorRate's threshold, drawn on the error panels. */
    errorRatio: number;
}

interface Target {
    expr: string;
    legend: string;
}
interface PanelOptions {
    title: string;
    unit: string;
    targets: Target[];
    threshold?: number;
    description?: string;
}

/** A Grafana dashboard: plain JSON-ready data. */
export type Dashboard = Record<string, unknown> & { uid: string; title: string; panels: Record<string, unknown>[] };

const PANEL_WIDTH = 12;
const PANEL_HEIGHT = 8;

/** Two panels per row, ids and positions from their order: stable for the same list. */
function dashboard(uid: string, title: string, tags: string[], panels: PanelOptions[]): Dashboard {
    return {
        uid,
        title,
        tags: ["blog-platform", ...tags],
        editable: false,
        schemaVersion: 39,
        version: 1,
        refresh: "30s",
        time: { from: "now-6h", to: "now" },
        timezone: "browser",
        panels: panels.map((panel, i) => ({
            id: i + 1,
            type: "timeseries",
            title: panel.title,
            description: panel.description,
            datasource: { type: "prometheus", uid: DATASOURCE_UID },
            gridPos: { h: PANEL_HEIGHT, w: PANEL_WIDTH, x: (i % 2) * PANEL_WIDTH, y: Math.floor(i / 2) * PANEL_HEIGHT },
            fieldConfig: {
                defaults: {
                    unit: panel.unit,
                    ...(panel.threshold !== undefined
                        ? {
                              custom: { thresholdsStyle: { mode: "line" } },
                              thresholds: {
                                  mode: "absolute",
                                  steps: [
                                      { color: "green", value: null },
                                      { color: "red", value: panel.threshold },
                                  ],
                              },
                          }
                        : {}),
                },
                overrides: [],
            },
            targets: panel.targets.map((target, j) => ({
                refId: String.fromCharCode(65 + j),
                datasource: { type: "prometheus", uid: DATASOURCE_UID },
                expr: target.expr,
                legendFormat: target.legend,
            })),
        })),
    };
}

const q = (value: string) => JSON.stringify(value);

/** Rate, errors and duration of one service, from the reference's two metrics. */
export function redDashboard(service: string, o: DashboardOptions): Dashboard {
    const selector = `namespace=${q(o.platformNamespace)}, service=${q(service)}`;
    const requests = `rate(http_requests_total{${selector}}[5m])`;
    const buckets = `sum by (le) (rate(http_request_duration_seconds_bucket{${selector}}[5m]))`;
    return dashboard(
        `blog-red-${service}`,
        `RED: ${service}`,
        ["red"],
        [
            {
                title: "Requests per second by status",
                unit: "reqps",
                targets: [{ expr: `sum by (status) (${requests})`, legend: "{{status}}" }],
            },
            {
                title: "Share of requests answered with a 5xx",
                unit: "percentunit",
                threshold: o.errorRatio,
                description: "HighErrorRate fires when this stays above the line for 5 minutes.",
                targets: [
                    { expr: `sum(rate(http_requests_total{${selector}, status=~"5.."}[5m])) / sum(${requests})`, legend: "5xx ratio" },
                ],
            },
            {
                title: "Latency percentiles",
                unit: "s",
                // The gateway's panel is end-to-end over all routes, so its own 5 ms objective is no line
                // for it: its alert is per route (components/monitoring/rules.ts, latencyExprs).
                threshold: service === GATEWAY ? undefined : o.p95LatencySeconds[service],
                description:
                    service === GATEWAY
                        ? "End to end, upstreams included. HighLatencyP95 fires per route, " +
                          "at the routed service's objective plus the gateway's own."
                        : o.p95LatencySeconds[service] !== undefined
                          ? "The line is the P95 objective: HighLatencyP95 fires when P95 stays above it for 10 minutes."
                          : undefined,
                targets: [0.5, 0.95, 0.99].map((quantile) => ({
                    expr: `histogram_quantile(${quantile}, ${buckets})`,
                    legend: `P${Math.round(quantile * 100)}`,
                })),
            },
            {
                title: "Requests per second by pod",
                unit: "reqps",
                targets: [{ expr: `sum by (pod) (${requests})`, legend: "{{pod}}" }],
            },
        ],
    );
}

/** Container restarts and readiness across the platform and monitoring namespaces. */
export function podRestartsDashboard(o: DashboardOptions): Dashboard {
    const namespaces = `namespace=~${q(`${o.platformNamespace}|${o.monitoringNamespace}`)}`;
    return dashboard(
        "blog-pod-restarts",
        "Pod restarts",
        ["pods"],
        [
            {
                title: "Container restarts in the last 15 minutes",
                unit: "short",
                description: "PodCrashLooping fires when a container reaches its threshold here for 5 minutes.",
                targets: [
                    {
                        expr: `sum by (namespace, pod, container) (increase(kube_pod_container_status_restarts_total{${namespaces}}[15m]))`,
                        legend: "{{namespace}}/{{pod}}/{{container}}",
                    },
                ],
            },
            {
                title: "Pods not ready",
                unit: "short",
                targets: [
                    {
                        expr: `sum by (namespace, pod) (kube_pod_status_ready{${namespaces}, condition="false"})`,
                        legend: "{{namespace}}/{{pod}}",
                    },
                ],
            },
        ],
    );
}

/** CPU and memory use per pod against what the pod requested and the limit it may not pass. */
export function resourcesDashboard(o: DashboardOptions): Dashboard {
    const namespaces = `namespace=~${q(`${o.platformNamespace}|${o.monitoringNamespace}`)}`;
    // The pod-level cgroup (container="", pod set) is the pod's whole use, containers and pause together:
    // every kubelet reports it, while per-container series need cAdvisor to reach the runtime's socket (the
    // local real node's containerd is not at the default path, so it has none). Summing both would double.
    const podCgroups = `${namespaces}, container="", pod!=""`;
    const usage = {
        cpu: `sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{${podCgroups}}[5m]))`,
        memory: `sum by (namespace, pod) (container_memory_working_set_bytes{${podCgroups}})`,
    };
    const declared = (kind: "requests" | "limits", resource: "cpu" | "memory") =>
        `sum by (namespace, pod) (kube_pod_container_resource_${kind}{${namespaces}, resource=${q(resource)}})`;
    const panels = (["cpu", "memory"] as const).flatMap((resource): PanelOptions[] => [
        {
            title: `${resource === "cpu" ? "CPU" : "Memory"} use, requests and limits by pod`,
            unit: resource === "cpu" ? "cores" : "bytes",
            targets: [
                { expr: usage[resource], legend: "{{pod}} used" },
                { expr: declared("requests", resource), legend: "{{pod}} requested" },
                { expr: declared("limits", resource), legend: "{{pod}} limit" },
            ],
        },
        {
            title: `${resource === "cpu" ? "CPU" : "Memory"} use as a share of the limit`,
            unit: "percentunit",
            threshold: resource === "cpu" ? 0.9 : 0.8,
            description: resource === "cpu" ? "Near 100% the pod is throttled." : "At 100% the container is OOM-killed.",
            targets: [{ expr: `${usage[resource]} / ${declared("limits", resource)}`, legend: "{{pod}}" }],
        },
    ]);
    return dashboard("blog-resources", "CPU and memory against requests and limits", ["resources"], panels);
}

/** Every dashboard, keyed by its file name in the dashboards ConfigMap. */
export function dashboards(o: DashboardOptions): Record<string, Dashboard> {
    const all = [...o.services.map((service) => redDashboard(service, o)), podRestartsDashboard(o), resourcesDashboard(o)];
    return Object.fromEntries(all.map((d) => [`${d.uid}.json`, d]));
}

/** Every PromQL expression of a dashboard, for checking. */
export function panelQueries(d: Dashboard): string[] {
    return d.panels.flatMap((panel) => (panel.targets as { expr: string }[]).map((target) => target.expr));
}

/** Grafana's datasource provisioning file: Prometheus, the default and only datasource. */
export function datasourcesYaml(prometheusUrl: string, scrapeInterval: string): string {
    return stringify(
        {
            apiVersion: 1,
            datasources: [
                {
                    name: "Prometheus",
                    uid: DATASOURCE_UID,
                    type: "prometheus",
                    access: "proxy",
                    url: prometheusUrl,
                    isDefault: true,
                    editable: false,
                    // Grafana's $__rate_interval needs to know the scrape interval.
                    jsonData: { timeInterval: scrapeInterval },
                },
            ],
        },
        CONFIG_YAML,
    );
}

/** Grafana's dashboard provisioning file: load every JSON file in DASHBOARDS_DIR, read-only. */
export function dashboardProvidersYaml(): string {
    return stringify(
        {
            apiVersion: 1,
            providers: [
                {
                    name: "blog-platform",
                    folder: "Blog platform",
                    type: "file",
                    disableDeletion: true,
                    allowUiUpdates: false,
                    options: { path: DASHBOARDS_DIR },
                },
            ],
        },
        CONFIG_YAML,
    );
}
