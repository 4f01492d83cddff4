// Schema of the structured `monitoring` key: the stack's fields, alert thresholds and receivers.
import { z } from "zod";
import type { AlertReceiver } from "../components/monitoring/alertmanager-config";
import { IMAGES, MONITORING_DEFAULTS } from "../components/monitoring/defaults";
import { parseDuration } from "../components/monitoring/duration";
import { DEFAULT_GROUP_INTERVAL } from "../components/monitoring/alertmanager-config";
import { ALERT_NAMES, ALERTS, type Severity, SEVERITIES } from "../components/monitoring/rules";
import { SERVICE_NAMES, type ServiceName } from "../components/shared/topology";
import { LIMITS } from "./defaults";
import { resourcesSchema } from "./platform-schema";
import {
    bool,
    DNS_LABEL,
    dnsLabel,
    duration,
    fraction,
    integer,
    list,
    pattern,
    pinnedImage,
    quantity,
    ruleMessage,
    strict,
    text,
} from "./schema";

const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$|^[0-9a-f:]+\/\d{1,3}$/i;
const RECEIVER_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

const latencyObjective = z
    .string({ error: () => ruleMessage({ rule: "be a Prometheus duration above zero like 50ms", example: "50ms" }) })
    .refine((value) => (parseDuration(value) ?? 0) > 0)
    .transform((value) => parseDuration(value) as number);

function isWebhookUrl(value: string): boolean {
    try {
        const url = new URL(value);
        return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
    } catch {
        return false;
    }
}

/** A webhook receiver. Its URL is never echoed in a message: it usually embeds a token. */
const receiverSchema = strict("the fields of a receiver", {
    name: z
        .string({
            error: () => ruleMessage({ rule: "be a unique lowercase name (letters, digits, '-'), not blackhole", example: "oncall" }),
        })
        .regex(RECEIVER_NAME)
        .refine((name) => name !== "blackhole")
        .describe("The receiver's name in Alertmanager's config."),
    webhookUrl: z
        .string({
            error: () =>
                ruleMessage({
                    rule: "be an http:// or https:// URL, set as a secret",
                    fix: "Run: pulumi config set --secret --path '<key>' https://hooks.example.com/...",
                    redact: true,
                }),
        })
        .refine(isWebhookUrl)
        .describe("Where Alertmanager posts the alerts; set it with --secret (it usually embeds a token)."),
    severities: z
        .array(z.string(), {
            error: () => ruleMessage({ rule: `be a non-empty list of ${SEVERITIES.join(", ")}`, example: "critical" }),
        })
        .refine((values) => values.length > 0 && values.every((s) => (SEVERITIES as readonly string[]).includes(s)))
        .transform((values) => values as Severity[])
        .default([...SEVERITIES])
        .describe("Severities of the alerts the receiver gets."),
});

const d = MONITORING_DEFAULTS;
const ms = (seconds: number) => `${Math.round(seconds * 1e6) / 1e3}ms`;

/** blog:monitoring; `namespace` stays undefined when unset, since its default derives from the platform's. */
export function monitoringSchema() {
    return strict("the fields of monitoring", {
        enabled: bool().default(false).describe("Run the monitoring stack (Prometheus, kube-state-metrics, Alertmanager, Grafana)."),
        namespace: dnsLabel("blog-monitoring").optional().meta({
            description: "Where the stack runs; with enabled false, the namespace of an existing Prometheus admitted to the metrics ports.",
            defaultText: "<namespace>-monitoring",
        }),
        scrapeInterval: duration("5s", d.scrapeInterval).default(d.scrapeInterval).describe("How often Prometheus scrapes each target."),
        // Unset means the scrape interval, as before this key existed.
        evaluationInterval: duration("1s", d.scrapeInterval)
            .optional()
            .meta({ description: "How often Prometheus evaluates the alert rules.", defaultText: "scrapeInterval" }),
        retention: duration("2h", d.retention).default(d.retention).describe("How long Prometheus keeps samples."),
        storageSize: quantity("storage", LIMITS.storage).default(d.storageSize).describe("Size of Prometheus's claim."),
        storageClass: text("standard").optional().describe("StorageClass of Prometheus's claim; unset uses the cluster's default class."),
        prometheusResources: resourcesSchema(d.prometheusResources).default(d.prometheusResources),
        nodeCidr: pattern(CIDR, "be a CIDR like 10.0.0.0/16", "10.0.0.0/16")
            .default(d.nodeCidr)
            .describe(
                "CIDR of the API server and kubelets, for Prometheus's and kube-state-metrics' egress; " +
                    "the default allows any address, on their ports only.",
            ),
        alerts: strict("the fields of monitoring.alerts", {
            errorRatio: fraction(d.thresholds.errorRatio)
                .default(d.thresholds.errorRatio)
                .describe("Share of a service's requests answered with 5xx above which HighErrorRate fires."),
            crashLoopRestarts: integer(1, 100)
                .default(d.thresholds.crashLoopRestarts)
                .describe("Restarts of a container within 15 minutes at which PodCrashLooping fires."),
            p95Latency: strict(
                "the services",
                Object.fromEntries(SERVICE_NAMES.map((name) => [name, latencyObjective.optional()])) as Record<
                    ServiceName,
                    z.ZodOptional<typeof latencyObjective>
                >,
                `name a platform service (${SERVICE_NAMES.join(", ")})`,
            )
                .meta({
                    each: "service",
                    description: "A service's p95 latency objective, above which HighLatencyP95 fires.",
                    defaultText: `${Object.entries(d.thresholds.p95LatencySeconds)
                        .map(([name, seconds]) => `${name} ${ms(seconds)}`)
                        .join(", ")}; none for the others`,
                })
                .default({}),
            for: strict(
                "the alerts",
                Object.fromEntries(ALERT_NAMES.map((name) => [name, duration("1s", "5m").optional()])),
                `name an alert of the catalogue (${ALERT_NAMES.join(", ")})`,
            )
                .meta({
                    each: "alert",
                    description: `How long an alert's condition must hold before it fires; alerts: ${ALERT_NAMES.join(", ")}.`,
                    defaultText: ALERTS.map((alert) => `${alert.alert} ${alert.for}`).join(", "),
                })
                .default({}),
            groupInterval: duration("1s", DEFAULT_GROUP_INTERVAL)
                .default(DEFAULT_GROUP_INTERVAL)
                .describe("Alertmanager's group_interval: the wait before notifying changes in an already notified group."),
        }).default({
            errorRatio: d.thresholds.errorRatio,
            crashLoopRestarts: d.thresholds.crashLoopRestarts,
            p95Latency: {},
            for: {},
            groupInterval: DEFAULT_GROUP_INTERVAL,
        }),
        images: strict("the fields of monitoring.images", {
            prometheus: monitoringImage("prometheus"),
            alertmanager: monitoringImage("alertmanager"),
            kubeStateMetrics: monitoringImage("kubeStateMetrics"),
            grafana: pinnedImage()
                .optional()
                .meta({
                    description: "Grafana's image; with an image lock and none set, Grafana does not run (none is built here).",
                    defaultText: `the lock's, else \`${IMAGES.grafana}\``,
                }),
        }).default({}),
        receivers: list(receiverSchema, "{name, webhookUrl, severities}")
            .default([])
            .describe("Webhook receivers Alertmanager notifies; their URLs are kept only in a Secret.")
            .transform((receivers, ctx): AlertReceiver[] => {
                receivers.forEach((receiver, i) => {
                    if (receivers.findIndex((other) => other.name === receiver.name) < i) {
                        ctx.addIssue({
                            code: "custom",
                            path: [i, "name"],
                            input: receiver.name,
                            message: ruleMessage({
                                rule: "be a unique lowercase name (letters, digits, '-'), not blackhole",
                                example: `${receiver.name}-2`,
                            }),
                        });
                    }
                });
                return receivers;
            }),
    })
        .describe(
            "The monitoring stack (Prometheus, kube-state-metrics, Alertmanager, Grafana): " +
                "its settings, alert thresholds and receivers (docs/monitoring.md).",
        )
        .transform((value) => ({
            ...value,
            evaluationInterval: value.evaluationInterval ?? value.scrapeInterval,
            alertFor: definedStrings(value.alerts.for),
            groupInterval: value.alerts.groupInterval,
            alerts: {
                errorRatio: value.alerts.errorRatio,
                crashLoopRestarts: value.alerts.crashLoopRestarts,
                p95LatencySeconds: { ...d.thresholds.p95LatencySeconds, ...definedEntries(value.alerts.p95Latency) },
            },
        }));
}

const MONITORING_WORKLOAD_NAMES = { prometheus: "Prometheus", alertmanager: "Alertmanager", kubeStateMetrics: "kube-state-metrics" };

function monitoringImage(name: "prometheus" | "alertmanager" | "kubeStateMetrics") {
    return pinnedImage()
        .optional()
        .meta({
            description: `${MONITORING_WORKLOAD_NAMES[name]}'s image.`,
            defaultText: `the lock's, else \`${IMAGES[name]}\``,
        });
}

function definedStrings(record: Record<string, string | undefined>): Record<string, string> {
    return Object.fromEntries(Object.entries(record).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function definedEntries(record: Record<string, number | undefined>): Record<string, number> {
    return Object.fromEntries(Object.entries(record).filter((entry): entry is [string, number] => entry[1] !== undefined));
}

export { DNS_LABEL };
