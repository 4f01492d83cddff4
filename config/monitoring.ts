// Schema of the structured `monitoring` key: the stack's fields, alert thresholds and receivers.
import { z } from "zod";
import type { AlertReceiver } from "../components/monitoring/alertmanager-config";
import { MONITORING_DEFAULTS } from "../components/monitoring/defaults";
import { parseDuration } from "../components/monitoring/duration";
import { DEFAULT_GROUP_INTERVAL } from "../components/monitoring/alertmanager-config";
import { ALERT_NAMES, type Severity, SEVERITIES } from "../components/monitoring/rules";
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
        .refine((name) => name !== "blackhole"),
    webhookUrl: z
        .string({
            error: () =>
                ruleMessage({
                    rule: "be an http:// or https:// URL, set as a secret",
                    fix: "Run: pulumi config set --secret --path '<key>' https://hooks.example.com/...",
                    redact: true,
                }),
        })
        .refine(isWebhookUrl),
    severities: z
        .array(z.string(), {
            error: () => ruleMessage({ rule: `be a non-empty list of ${SEVERITIES.join(", ")}`, example: "critical" }),
        })
        .refine((values) => values.length > 0 && values.every((s) => (SEVERITIES as readonly string[]).includes(s)))
        .transform((values) => values as Severity[])
        .default([...SEVERITIES]),
});

const d = MONITORING_DEFAULTS;

/** blog:monitoring; `namespace` stays undefined when unset, since its default derives from the platform's. */
export function monitoringSchema() {
    return strict("the fields of monitoring", {
        enabled: bool().default(false),
        namespace: dnsLabel("blog-monitoring").optional(),
        scrapeInterval: duration("5s", d.scrapeInterval).default(d.scrapeInterval),
        // Unset means the scrape interval, as before this key existed.
        evaluationInterval: duration("1s", d.scrapeInterval).optional(),
        retention: duration("2h", d.retention).default(d.retention),
        storageSize: quantity("storage", LIMITS.storage).default(d.storageSize),
        storageClass: text("standard").optional(),
        prometheusResources: resourcesSchema(d.prometheusResources).default(d.prometheusResources),
        nodeCidr: pattern(CIDR, "be a CIDR like 10.0.0.0/16", "10.0.0.0/16").default(d.nodeCidr),
        alerts: strict("the fields of monitoring.alerts", {
            errorRatio: fraction(d.thresholds.errorRatio).default(d.thresholds.errorRatio),
            crashLoopRestarts: integer(1, 100).default(d.thresholds.crashLoopRestarts),
            p95Latency: strict(
                "the services",
                Object.fromEntries(SERVICE_NAMES.map((name) => [name, latencyObjective.optional()])) as Record<
                    ServiceName,
                    z.ZodOptional<typeof latencyObjective>
                >,
                `name a platform service (${SERVICE_NAMES.join(", ")})`,
            ).default({}),
            for: strict(
                "the alerts",
                Object.fromEntries(ALERT_NAMES.map((name) => [name, duration("1s", "5m").optional()])),
                `name an alert of the catalogue (${ALERT_NAMES.join(", ")})`,
            ).default({}),
            groupInterval: duration("1s", DEFAULT_GROUP_INTERVAL).default(DEFAULT_GROUP_INTERVAL),
        }).default({
            errorRatio: d.thresholds.errorRatio,
            crashLoopRestarts: d.thresholds.crashLoopRestarts,
            p95Latency: {},
            for: {},
            groupInterval: DEFAULT_GROUP_INTERVAL,
        }),
        images: strict("the fields of monitoring.images", {
            prometheus: pinnedImage().optional(),
            alertmanager: pinnedImage().optional(),
            kubeStateMetrics: pinnedImage().optional(),
            grafana: pinnedImage().optional(),
        }).default({}),
        receivers: list(receiverSchema, "{name, webhookUrl, severities}")
            .default([])
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
    }).transform((value) => ({
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

function definedStrings(record: Record<string, string | undefined>): Record<string, string> {
    return Object.fromEntries(Object.entries(record).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function definedEntries(record: Record<string, number | undefined>): Record<string, number> {
    return Object.fromEntries(Object.entries(record).filter((entry): entry is [string, number] => entry[1] !== undefined));
}

export { DNS_LABEL };
