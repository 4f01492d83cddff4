// Generates alertmanager.yml: alerts routed by severity to the receivers that subscribed to it.
// The result holds webhook URLs, so it is only ever stored in a Secret.
import { type Severity, SEVERITIES } from "./rules";
import { stringify } from "yaml";
import { CONFIG_YAML } from "./defaults";

/** A webhook receiver from stack config (blog:monitoring.receivers). */
export interface AlertReceiver {
    /** Receiver name, unique; lowercase letters, digits and '-'. */
    name: string;
    /** Where Alertmanager POSTs notifications; a secret (it usually embeds a token). */
    webhookUrl: string;
    /** Severities this receiver is notified of. */
    severities: readonly Severity[];
}

/** Alerts no receiver subscribed to end here: still visible in Alertmanager and Grafana, never sent. */
export const BLACKHOLE = "blackhole";

/** Critical alerts are sent fast and repeated hourly; warnings are batched and repeated twice a day. */
const TIMING: Record<Severity, { group_wait: string; repeat_interval: string }> = {
    critical: { group_wait: "10s", repeat_interval: "1h" },
    warning: { group_wait: "1m", repeat_interval: "12h" },
};

/** How long Alertmanager waits before telling a receiver of changes in a group it already notified (new alerts, resolutions). */
export const DEFAULT_GROUP_INTERVAL = "5m";

export function alertmanagerConfig(
    receivers: readonly AlertReceiver[],
    groupInterval: string = DEFAULT_GROUP_INTERVAL,
): Record<string, unknown> {
    const routes = SEVERITIES.flatMap((severity) =>
        receivers
            .filter((receiver) => receiver.severities.includes(severity))
            .map((receiver) => ({
                receiver: receiver.name,
                matchers: [`severity=${JSON.stringify(severity)}`],
                ...TIMING[severity],
                // Every subscriber of a severity gets the alert, not only the first.
                continue: true,
            })),
    );
    return {
        route: {
            receiver: BLACKHOLE,
            group_by: ["alertname", "namespace", "service"],
            group_wait: "30s",
            group_interval: groupInterval,
            repeat_interval: "12h",
            routes,
        },
        receivers: [
            { name: BLACKHOLE },
            ...receivers.map((receiver) => ({
                name: receiver.name,
                webhook_configs: [{ url: receiver.webhookUrl, send_resolved: true }],
            })),
        ],
    };
}

export function alertmanagerYaml(receivers: readonly AlertReceiver[], groupInterval?: string): string {
    return stringify(alertmanagerConfig(receivers, groupInterval), CONFIG_YAML);
}
