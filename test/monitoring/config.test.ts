import * as assert from "node:assert";
import { parseConfig } from "../../config";
import { MONITORING_DEFAULTS } from "../../components/monitoring/defaults";
import { itRejectsEach, problemsOf } from "../helpers/config-problems";
import { stackConfig } from "../helpers/stack-config";

const SECRET_URL = "https://hooks.example.com/services/T0/B0/s3cr3t-token";
const devWithMonitoring = (monitoring: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    stackConfig("dev", { "blog:monitoring": { enabled: true, ...monitoring }, ...extra });

describe("config: blog:monitoring", () => {
    it("pins the defaults to the reference: 10% errors, P95 objectives from the capacity table", () => {
        assert.deepStrictEqual(MONITORING_DEFAULTS.thresholds, {
            errorRatio: 0.1,
            crashLoopRestarts: 3,
            p95LatencySeconds: { gateway: 0.005, auth: 0.05, blog: 0.025, comment: 0.03 },
        });
        const cfg = parseConfig(stackConfig("dev", { "blog:monitoring": undefined }));
        assert.strictEqual(cfg.monitoring.enabled, false);
        assert.strictEqual(cfg.metricsScraperNamespace, undefined);
        assert.strictEqual(cfg.monitoring.namespace, "blog-dev-monitoring");
        assert.strictEqual(cfg.monitoring.scrapeInterval, "30s");
        assert.strictEqual(cfg.monitoring.retention, "15d");
        assert.strictEqual(cfg.monitoring.storageSize, "10Gi");
        assert.strictEqual(cfg.monitoring.nodeCidr, "0.0.0.0/0");
        assert.deepStrictEqual(cfg.monitoring.receivers, []);
        // Timing keys keep what the stack did before they existed: rules evaluated at the scrape interval,
        // each alert's catalogue `for`, Alertmanager's 5m group interval.
        assert.strictEqual(cfg.monitoring.evaluationInterval, "30s");
        assert.deepStrictEqual(cfg.monitoring.alertFor, {});
        assert.strictEqual(cfg.monitoring.groupInterval, "5m");
        assert.strictEqual(parseConfig(stackConfig("prod")).monitoring.evaluationInterval, "15s");
    });

    it("reads the rule-evaluation interval, per-alert `for` durations and the group interval when set", () => {
        const cfg = parseConfig(
            devWithMonitoring({
                evaluationInterval: "5s",
                alerts: { for: { HighErrorRate: "20s", PodCrashLooping: "1m" }, groupInterval: "10s" },
            }),
        );
        assert.strictEqual(cfg.monitoring.evaluationInterval, "5s");
        assert.deepStrictEqual(cfg.monitoring.alertFor, { HighErrorRate: "20s", PodCrashLooping: "1m" });
        assert.strictEqual(cfg.monitoring.groupInterval, "10s");
        // Thresholds are untouched by timing.
        assert.strictEqual(cfg.monitoring.alerts.errorRatio, MONITORING_DEFAULTS.thresholds.errorRatio);
    });

    it("enables a small monitoring stack in dev and a larger one with stricter alerts in prod", () => {
        const dev = parseConfig(stackConfig("dev"));
        const prod = parseConfig(stackConfig("prod"));
        assert.strictEqual(dev.monitoring.enabled, true);
        assert.strictEqual(prod.monitoring.enabled, true);
        assert.deepStrictEqual([dev.monitoring.retention, dev.monitoring.storageSize, dev.monitoring.scrapeInterval], ["3d", "2Gi", "30s"]);
        assert.deepStrictEqual(
            [prod.monitoring.retention, prod.monitoring.storageSize, prod.monitoring.scrapeInterval],
            ["30d", "50Gi", "15s"],
        );
        assert.strictEqual(prod.monitoring.alerts.errorRatio, 0.05);
        assert.strictEqual(prod.monitoring.alerts.p95LatencySeconds.auth, 0.05);
    });

    it("admits the monitoring namespace to the platform's metrics ports when monitoring is enabled", () => {
        assert.strictEqual(parseConfig(stackConfig("prod")).metricsScraperNamespace, "blog-prod-monitoring");
        // Disabled but named: an existing Prometheus in that namespace is admitted.
        assert.strictEqual(
            parseConfig(devWithMonitoring({ enabled: false, namespace: "observability" })).metricsScraperNamespace,
            "observability",
        );
    });

    it("merges P95 objectives per service over the reference's table, in seconds", () => {
        const cfg = parseConfig(devWithMonitoring({ alerts: { p95Latency: { auth: "80ms", image: "2s" } } }));
        assert.deepStrictEqual(cfg.monitoring.alerts.p95LatencySeconds, {
            gateway: 0.005,
            auth: 0.08,
            blog: 0.025,
            comment: 0.03,
            image: 2,
        });
    });

    it("reads receivers with their severities, defaulting to every severity", () => {
        const cfg = parseConfig(
            devWithMonitoring({
                receivers: [
                    { name: "chat", webhookUrl: SECRET_URL },
                    { name: "pager", webhookUrl: SECRET_URL, severities: ["critical"] },
                ],
            }),
        );
        assert.deepStrictEqual(
            cfg.monitoring.receivers.map((r) => [r.name, r.severities]),
            [
                ["chat", ["critical", "warning"]],
                ["pager", ["critical"]],
            ],
        );
    });

    const badValues: [string, Record<string, unknown>, RegExp][] = [
        [
            "a malformed scrape interval",
            { scrapeInterval: "30 seconds" },
            new RegExp(
                String.raw`^blog:monitoring\.scrapeInterval must be a Prometheus duration of at least 5s like 30s \(got "30 ` +
                    String.raw`seconds"\)\. Run: pulumi config set --path 'monitoring\.scrapeInterval' 30s\.$`,
            ),
        ],
        [
            "a retention under two hours",
            { retention: "30m" },
            /^blog:monitoring\.retention must be a Prometheus duration of at least 2h like 15d \(got "30m"\)\./,
        ],
        [
            "a malformed evaluation interval",
            { evaluationInterval: "5" },
            new RegExp(
                String.raw`^blog:monitoring\.evaluationInterval must be a Prometheus duration of at least 1s like 30s \(got "5"\)\. ` +
                    String.raw`Run: pulumi config set --path 'monitoring\.evaluationInterval' 30s\.$`,
            ),
        ],
        [
            "a `for` duration for an alert the catalogue does not have",
            { alerts: { for: { HighErrors: "1m" } } },
            /^blog:monitoring\.alerts\.for\.HighErrors must name an alert of the catalogue \(HighErrorRate, PodCrashLooping, .*\)/,
        ],
        [
            "a `for` duration without a unit",
            { alerts: { for: { HighErrorRate: 30 } } },
            /^blog:monitoring\.alerts\.for\.HighErrorRate must be a Prometheus duration of at least 1s like 5m \(got 30\)\./,
        ],
        [
            "a zero group interval",
            { alerts: { groupInterval: "0s" } },
            /^blog:monitoring\.alerts\.groupInterval must be a Prometheus duration of at least 1s like 5m \(got "0s"\)\./,
        ],
        [
            "a storage size in MB",
            { storageSize: "500MB" },
            /^blog:monitoring\.storageSize must be a memory quantity like 256Mi or 1Gi .*\(got "500MB"\)\./,
        ],
        [
            "an error ratio given as a percentage",
            { alerts: { errorRatio: 10 } },
            /^blog:monitoring\.alerts\.errorRatio must be a number above 0 and at most 1 \(got 10\)\./,
        ],
        [
            "a restart threshold of zero",
            { alerts: { crashLoopRestarts: 0 } },
            /^blog:monitoring\.alerts\.crashLoopRestarts must be an integer from 1 to 100 \(got 0\)\./,
        ],
        [
            "a latency objective for an unknown service",
            { alerts: { p95Latency: { search: "10ms" } } },
            /^blog:monitoring\.alerts\.p95Latency\.search must name a platform service/,
        ],
        [
            "a latency objective without a unit",
            { alerts: { p95Latency: { auth: 50 } } },
            /^blog:monitoring\.alerts\.p95Latency\.auth must be a Prometheus duration above zero like 50ms \(got 50\)\./,
        ],
        [
            "a misspelt field",
            { scrapeIntervall: "30s" },
            /^blog:monitoring\.scrapeIntervall must be one of the fields of monitoring \(enabled, namespace, /,
        ],
        [
            "a namespace equal to the platform's",
            { namespace: "blog-dev" },
            /^blog:monitoring\.namespace must differ from the platform's namespace \(got "blog-dev"\)\./,
        ],
        ["a bad CIDR", { nodeCidr: "10.0.0.0" }, /^blog:monitoring\.nodeCidr must be a CIDR like 10\.0\.0\.0\/16 \(got "10\.0\.0\.0"\)\./],
        [
            "a receiver without a URL",
            { receivers: [{ name: "chat" }] },
            new RegExp(
                String.raw`^blog:monitoring\.receivers\[0\]\.webhookUrl must be an http:\/\/ or https:\/\/ URL, set as a ` +
                    String.raw`secret \(got nothing\)\. Run: pulumi config set --secret --path`,
            ),
        ],
        [
            "a receiver named like the built-in blackhole",
            { receivers: [{ name: "blackhole", webhookUrl: SECRET_URL }] },
            /^blog:monitoring\.receivers\[0\]\.name must be a unique lowercase name/,
        ],
        [
            "two receivers with one name",
            {
                receivers: [
                    { name: "chat", webhookUrl: SECRET_URL },
                    { name: "chat", webhookUrl: SECRET_URL },
                ],
            },
            /^blog:monitoring\.receivers\[1\]\.name must be a unique/,
        ],
        [
            "an unknown severity",
            { receivers: [{ name: "chat", webhookUrl: SECRET_URL, severities: ["page"] }] },
            /^blog:monitoring\.receivers\[0\]\.severities must be a non-empty list of critical, warning \(got \["page"\]\)\./,
        ],
    ];
    itRejectsEach(badValues, (monitoring) => devWithMonitoring(monitoring));

    it("never echoes a webhook URL in a message, even a malformed one", () => {
        const leaky = "ftp://hooks.example.com/s3cr3t-token";
        const problems = problemsOf(devWithMonitoring({ receivers: [{ name: "chat", webhookUrl: leaky }] }));
        assert.ok(
            problems.some((p) => p.startsWith("blog:monitoring.receivers[0].webhookUrl must be an http:// or https:// URL")),
            problems.join("\n"),
        );
        assert.ok(
            problems.every((p) => !p.includes("s3cr3t")),
            problems.join("\n"),
        );
    });

    it("has one key for the monitoring namespace: the old blog:monitoringNamespace is refused, pointing at it", () => {
        const problems = problemsOf(devWithMonitoring({}, { "blog:monitoringNamespace": "observability" }));
        assert.ok(
            problems.some(
                (p) =>
                    p.startsWith("blog:monitoringNamespace must be one of the keys declared in Pulumi.yaml") &&
                    p.includes("Did you mean monitoring?"),
            ),
            problems.join("\n"),
        );
    });
});
