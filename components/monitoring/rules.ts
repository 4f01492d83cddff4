// The alert catalogue: each alert with its severity, wait, meaning and fix, and the rule file built from it.
import { stringify } from "yaml";
import { CONFIG_YAML } from "./defaults";

export const SEVERITIES = ["critical", "warning"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Per-stack thresholds (config key blog:monitoring.alerts). */
export interface AlertThresholds {
    /** Share of a service's requests answered with a 5xx over 5 minutes above which HighErrorRate fires (0–1). */
    errorRatio: number;
    /** Restarts of one container within 15 minutes at or above which PodCrashLooping fires. */
    crashLoopRestarts: number;
    /** P95 latency objective per service, in seconds, above which HighLatencyP95 fires for that service. */
    p95LatencySeconds: Record<string, number>;
}

export interface RulesOptions {
    /** Namespace of the platform's workloads. */
    platformNamespace: string;
    /** Namespace of the monitoring stack (its pods are watched for crash loops too). */
    monitoringNamespace: string;
    thresholds: AlertThresholds;
    /** How long each alert's condition must hold before it fires, by alert name. @default each catalogue entry's `for` */
    for?: Readonly<Record<string, string>>;
}

/** One rule's expression, and labels that tell rules of the same alert apart. */
export interface AlertExpr {
    expr: string;
    labels?: Record<string, string>;
}

/** One alert of the catalogue; `exprs` may yield several rules (one per service) under the same name. */
export interface AlertDefinition {
    alert: string;
    severity: Severity;
    /** How long the condition must hold before the alert fires. */
    for: string;
    /** What the alert means, in a sentence. */
    description: string;
    /** What to do about it, in a sentence. */
    fix: string;
    /** The alert's summary, templated with the series' labels. */
    summary: string;
    /** One PromQL expression per rule. */
    exprs(o: RulesOptions): AlertExpr[];
}

/** The job scraping kube-state-metrics; its series keep their own namespace and pod labels. */
export const KUBE_STATE_METRICS_JOB = "kube-state-metrics";

const quote = (value: string) => JSON.stringify(value);

/**
 * A data store is down when kube-state-metrics says its StatefulSet has no ready replica (the readiness
 * probes run pg_isready / redis-cli ping), or reports the StatefulSet gone.
 */
function dataStoreDown(alert: string, statefulSet: string, title: string): AlertDefinition {
    return {
        alert,
        severity: "critical",
        for: "2m",
        description: `${title} has had no ready replica for 2 minutes, so every service that needs it is failing.`,
        fix: `Check the pod with kubectl -n {{ $labels.namespace }} describe pod ${statefulSet}-0, then its logs and its claim.`,
        summary: `${title} is down in {{ $labels.namespace }}`,
        exprs: (o) => {
            const selector = `{namespace=${quote(o.platformNamespace)}, statefulset=${quote(statefulSet)}}`;
            // Absent while kube-state-metrics is up means the StatefulSet is gone; absent while it is down
            // means nobody knows, and TargetDown already says so.
            return [
                {
                    expr: [
                        `kube_statefulset_status_replicas_ready${selector} < 1`,
                        `or (absent(kube_statefulset_status_replicas_ready${selector})`,
                        `and on() (up{job=${quote(KUBE_STATE_METRICS_JOB)}} == 1))`,
                    ].join(" "),
                },
            ];
        },
    };
}

/**
 * The catalogue. HighErrorRate is a ratio, not the reference's absolute `rate(...) > 0.1`: 0.1 errors per
 * second is noise for the gateway at 5000 RPS and a total outage for a service at 0.05 RPS; the
 * reference's 0.1 is kept as the default ratio (10% of requests).
 */
export const ALERTS: readonly AlertDefinition[] = [
    {
        alert: "HighErrorRate",
        severity: "critical",
        for: "5m",
        description: "A service has answered more than its error-ratio threshold of requests with a 5xx for 5 minutes.",
        fix: "Check the service's logs and recent rollouts; roll back with kubectl rollout undo if a release caused it.",
        summary: "{{ $labels.service }} answers too many requests with a 5xx",
        exprs: (o) => {
            const ns = `namespace=${quote(o.platformNamespace)}`;
            return [
                {
                    expr: [
                        `sum by (namespace, service) (rate(http_requests_total{${ns}, status=~"5.."}[5m]))`,
                        `/ sum by (namespace, service) (rate(http_requests_total{${ns}}[5m])) > ${o.thresholds.errorRatio}`,
                    ].join(" "),
                },
            ];
        },
    },
    {
        alert: "PodCrashLooping",
        severity: "warning",
        for: "5m",
        description: "A container has restarted at least its crash-loop threshold of times within 15 minutes.",
        fix: "Read the previous container's logs with kubectl logs --previous and its last state in kubectl describe pod.",
        summary: "{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) keeps restarting",
        exprs: (o) => {
            const namespaces = quote(`${o.platformNamespace}|${o.monitoringNamespace}`);
            const restarts = `increase(kube_pod_container_status_restarts_total{namespace=~${namespaces}}[15m])`;
            return [{ expr: `${restarts} >= ${o.thresholds.crashLoopRestarts}` }];
        },
    },
    {
        alert: "HighLatencyP95",
        severity: "warning",
        for: "10m",
        description: "A service's 95th-percentile latency has been above its objective from the capacity table for 10 minutes.",
        fix: "Check the service's CPU against its limit and its dependencies' latency; scale out or raise resources.",
        summary: "{{ $labels.service }}{{ with $labels.endpoint }} ({{ . }} route){{ end }} P95 latency is above its objective",
        exprs: (o) => latencyExprs(o),
    },
    {
        alert: "TargetDown",
        severity: "warning",
        for: "5m",
        description: "Prometheus has failed to scrape a target for 5 minutes, so its alerts cannot fire.",
        fix: "Check that the pod is running and that a NetworkPolicy admits the monitoring namespace on its metrics port.",
        summary: "{{ $labels.job }} target {{ $labels.instance }} is down",
        exprs: () => [{ expr: "up == 0" }],
    },
    dataStoreDown("PostgresDown", "postgres", "PostgreSQL"),
    dataStoreDown("RedisDown", "redis", "Redis"),
];

/** The gateway's objective is its own share of a request; its series measure the whole request, upstream included. */
export const GATEWAY = "gateway";

/**
 * HighLatencyP95's rules. A service's own histogram against its objective. The gateway's histogram is
 * end-to-end (nginx's $request_time: what a client waits, the upstream's time included), so one line at
 * the gateway's 5 ms would fire on every proxied route; its rule is per route instead, at the routed
 * service's objective plus the gateway's own (docs/load.md measures the gateway's share as that
 * difference), and a route whose service has no objective (image, frontend) has no rule.
 */
function latencyExprs(o: RulesOptions): AlertExpr[] {
    const objectives = o.thresholds.p95LatencySeconds;
    const p95 = (matchers: string, by: string) =>
        `histogram_quantile(0.95, sum by (${by}, le) (rate(http_request_duration_seconds_bucket{${matchers}}[5m])))`;
    const namespace = `namespace=${quote(o.platformNamespace)}`;
    const services = Object.keys(objectives)
        .filter((service) => service !== GATEWAY)
        .sort((a, b) => a.localeCompare(b));
    const gatewayRoutes =
        objectives[GATEWAY] === undefined
            ? []
            : services.map((route) => ({
                  expr: `${p95(`${namespace}, service="${GATEWAY}", endpoint=${quote(route)}`, "namespace, service, endpoint")} > ${
                      Math.round((objectives[route] + objectives[GATEWAY]) * 1e6) / 1e6
                  }`,
                  labels: { service: GATEWAY, endpoint: route },
              }));
    const own = services.map((service) => ({
        expr: `${p95(`${namespace}, service=${quote(service)}`, "namespace, service")} > ${objectives[service]}`,
        labels: { service },
    }));
    return [...own, ...gatewayRoutes];
}

/** Every alert's name, in catalogue order: the keys of blog:monitoring.alerts.for. */
export const ALERT_NAMES: readonly string[] = ALERTS.map((definition) => definition.alert);

/**
 * The gateway's per-route metrics (prometheus-nginxlog-exporter's nginx_* names, labelled by route) recorded
 * under the services' names, with the route as `endpoint`: the RED dashboard, HighErrorRate and
 * HighLatencyP95 then apply to the gateway unchanged.
 */
export function gatewayRecordingRules(o: Pick<RulesOptions, "platformNamespace">): { record: string; expr: string }[] {
    const selector = `{namespace=${quote(o.platformNamespace)}, service="gateway"}`;
    const asEndpoint = (metric: string) => `label_replace(${metric}${selector}, "endpoint", "$1", "route", "(.*)")`;
    return [
        { record: "http_requests_total", expr: asEndpoint("nginx_http_response_count_total") },
        { record: "http_request_duration_seconds_bucket", expr: asEndpoint("nginx_http_response_time_seconds_hist_bucket") },
    ];
}

/** The rule file Prometheus loads: the gateway's recording rules, then one rule per expression of each alert. */
export function alertRules(o: RulesOptions): string {
    const rules = ALERTS.flatMap((definition) =>
        definition.exprs(o).map(({ expr, labels }) => ({
            alert: definition.alert,
            expr,
            for: o.for?.[definition.alert] ?? definition.for,
            labels: { ...labels, severity: definition.severity },
            annotations: {
                summary: definition.summary,
                description: `${definition.description} ${definition.fix}`,
            },
        })),
    );
    return stringify(
        {
            groups: [
                { name: "blog-platform-gateway-requests", rules: gatewayRecordingRules(o) },
                { name: "blog-platform", rules },
            ],
        },
        CONFIG_YAML,
    );
}
