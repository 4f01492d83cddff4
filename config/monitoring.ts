// Parses and validates the structured `monitoring` key.
import type { AlertReceiver } from "../components/monitoring/alertmanager-config";
import { MONITORING_DEFAULTS } from "../components/monitoring/defaults";
import { parseDuration } from "../components/monitoring/duration";
import { Severity, SEVERITIES } from "../components/monitoring/rules";
import { SERVICE_NAMES } from "../components/shared/topology";
import type { MonitoringConfig } from "../config";
import { Problems } from "./problems";
import { DNS_LABEL, Reader } from "./reader";

const MONITORING_FIELDS = ["enabled", "namespace", "scrapeInterval", "retention", "storageSize", "storageClass", "prometheusResources",
    "nodeCidr", "alerts", "receivers"];
const ALERT_FIELDS = ["errorRatio", "crashLoopRestarts", "p95Latency"];

export function parseMonitoring(r: Reader, p: Problems, platformNamespace: string): MonitoringConfig {
    const raw = r.object("monitoring");
    const m = new Reader(raw, p, "monitoring.");
    unknownFields(raw, MONITORING_FIELDS, "monitoring", p);
    const d = MONITORING_DEFAULTS;
    // The default derives from the platform's namespace: an invalid one is reported once, under its own key.
    const namespace = m.raw("namespace") === undefined && !DNS_LABEL.test(platformNamespace)
        ? `${platformNamespace}-monitoring`
        : m.string("namespace", `${platformNamespace}-monitoring`, DNS_LABEL, "be a DNS-1123 label (lowercase letters, digits, '-')");
    if (namespace === platformNamespace) {
        p.add("monitoring.namespace", "differ from the platform's namespace", namespace, p.setHint("monitoring.namespace", `${platformNamespace}-monitoring`));
    }
    const nodeCidr = m.string("nodeCidr", d.nodeCidr, /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$|^[0-9a-f:]+\/\d{1,3}$/i, "be a CIDR like 10.0.0.0/16");

    const rawAlerts = m.object("alerts");
    const alerts = new Reader(rawAlerts, p, "monitoring.alerts.");
    unknownFields(rawAlerts, ALERT_FIELDS, "monitoring.alerts", p);
    const latencyRaw = alerts.object("p95Latency");
    const p95LatencySeconds: Record<string, number> = { ...d.thresholds.p95LatencySeconds };
    for (const [service, value] of Object.entries(latencyRaw)) {
        const key = `monitoring.alerts.p95Latency.${service}`;
        const seconds = typeof value === "string" ? parseDuration(value) : undefined;
        if (!(SERVICE_NAMES as readonly string[]).includes(service)) {
            p.add(key, `name a platform service (${SERVICE_NAMES.join(", ")})`, service, `Fix the name or run: pulumi config rm --path '${key}'`);
        } else if (seconds === undefined || seconds <= 0) {
            p.add(key, "be a Prometheus duration above zero like 50ms", value, p.setHint(key, "50ms"));
        } else {
            p95LatencySeconds[service] = seconds;
        }
    }

    return {
        enabled: m.boolean("enabled", false),
        namespace,
        scrapeInterval: m.duration("scrapeInterval", d.scrapeInterval, "5s"),
        retention: m.duration("retention", d.retention, "2h"),
        storageSize: m.quantity("storageSize", d.storageSize, "memory"),
        storageClass: m.optionalString("storageClass"),
        prometheusResources: m.resources("prometheusResources", d.prometheusResources),
        nodeCidr,
        alerts: {
            errorRatio: alerts.fraction("errorRatio", d.thresholds.errorRatio),
            crashLoopRestarts: alerts.integer("crashLoopRestarts", d.thresholds.crashLoopRestarts, 1, ""),
            p95LatencySeconds,
        },
        receivers: parseReceivers(m.raw("receivers"), p),
    };
}

function unknownFields(value: Record<string, unknown>, known: readonly string[], path: string, p: Problems): void {
    for (const field of Object.keys(value).filter((f) => !known.includes(f))) {
        p.add(`${path}.${field}`, `be one of the fields of ${path} (${known.join(", ")})`, field, `Fix the name or run: pulumi config rm --path '${path}.${field}'`);
    }
}

const RECEIVER_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Webhook receivers. A URL is never echoed in a message: it usually embeds a token. */
function parseReceivers(value: unknown, p: Problems): AlertReceiver[] {
    if (value === undefined) {
        return [];
    }
    if (!Array.isArray(value)) {
        p.add("monitoring.receivers", "be a list of {name, webhookUrl, severities}", value, "See docs/monitoring.md for the shape");
        return [];
    }
    const seen = new Set<string>(["blackhole"]);
    return value.flatMap((entry: unknown, i): AlertReceiver[] => {
        const key = `monitoring.receivers[${i}]`;
        const receiver = (entry ?? {}) as { name?: unknown; webhookUrl?: unknown; severities?: unknown };
        let ok = true;
        if (typeof receiver.name !== "string" || !RECEIVER_NAME.test(receiver.name) || seen.has(receiver.name)) {
            p.add(`${key}.name`, "be a unique lowercase name (letters, digits, '-'), not blackhole", receiver.name, `Run: pulumi config set --path '${key}.name' oncall`);
            ok = false;
        } else {
            seen.add(receiver.name);
        }
        if (!isWebhookUrl(receiver.webhookUrl)) {
            p.add(`${key}.webhookUrl`, "be an http:// or https:// URL, set as a secret", receiver.webhookUrl === undefined ? undefined : "[redacted]",
                `Run: pulumi config set --secret --path '${key}.webhookUrl' https://hooks.example.com/...`);
            ok = false;
        }
        const severities = receiver.severities ?? [...SEVERITIES];
        if (!Array.isArray(severities) || severities.length === 0 || !severities.every((s) => (SEVERITIES as readonly unknown[]).includes(s))) {
            p.add(`${key}.severities`, `be a non-empty list of ${SEVERITIES.join(", ")}`, receiver.severities,
                `Run: pulumi config set --path '${key}.severities[0]' critical`);
            ok = false;
        }
        return ok ? [{ name: receiver.name as string, webhookUrl: receiver.webhookUrl as string, severities: severities as Severity[] }] : [];
    });
}

function isWebhookUrl(value: unknown): boolean {
    if (typeof value !== "string") {
        return false;
    }
    try {
        const url = new URL(value);
        return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
    } catch {
        return false;
    }
}
