import * as assert from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { MONITORING_DEFAULTS } from "../../components/monitoring/defaults";
import { ALERT_NAMES, ALERTS, alertRules, type AlertThresholds, type RulesOptions } from "../../components/monitoring/rules";
import { debianPromtool, DEPLOYED_PROMETHEUS_VERSION, run, upstreamPromtool } from "./tools";

const TESTS_DIR = path.join(__dirname, "rules-tests");
/** What the files in rules-tests/ were written against. */
const OPTIONS: RulesOptions = {
    platformNamespace: "blog",
    monitoringNamespace: "blog-monitoring",
    thresholds: MONITORING_DEFAULTS.thresholds,
};

const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
const testFileOf = (alert: string) => `${kebab(alert)}.test.yml`;

interface RuleTestFile {
    rule_files: string[];
    tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
}

/** Writes the generated rules and every rules test beside each other, as the tests' rule_files expect. */
function workspace(thresholds: AlertThresholds = OPTIONS.thresholds): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "monitoring-rules-"));
    fs.writeFileSync(path.join(dir, "alerts.rules.yml"), alertRules({ ...OPTIONS, thresholds }));
    for (const file of fs.readdirSync(TESTS_DIR)) {
        fs.copyFileSync(path.join(TESTS_DIR, file), path.join(dir, file));
    }
    return dir;
}

/** The rules of the alerts' group in a generated rule file. */
const alertGroup = (rules: string) =>
    (yaml.load(rules) as { groups: { name: string; rules: Record<string, string>[] }[] }).groups.find((g) => g.name === "blog-platform")
        ?.rules ?? [];

/** One series of the gateway's exporter for route blog, GET, with the given extra labels. */
const gatewaySeries = (metric: string, labels: string) =>
    `${metric}{namespace="blog", service="gateway", pod="gateway-1", route="blog", method="GET", ${labels}}`;

/** A promtool unit test of the gateway's recording rules: exporter series in, the services' names out. */
const GATEWAY_RECORDING_TEST = {
    rule_files: ["alerts.rules.yml"],
    evaluation_interval: "1m",
    tests: [
        {
            interval: "1m",
            input_series: [
                {
                    series: gatewaySeries("nginx_http_response_count_total", 'status="502"'),
                    values: "0+6x10",
                },
                {
                    series: gatewaySeries("nginx_http_response_count_total", 'status="200"'),
                    values: "0+54x10",
                },
                {
                    series: gatewaySeries("nginx_http_response_time_seconds_hist_bucket", 'status="200", le="0.005"'),
                    values: "0+30x10",
                },
                {
                    series: gatewaySeries("nginx_http_response_time_seconds_hist_bucket", 'status="200", le="+Inf"'),
                    values: "0+54x10",
                },
                // Another namespace's gateway is not this platform's.
                {
                    series: 'nginx_http_response_count_total{namespace="other", service="gateway", route="blog", status="500"}',
                    values: "0+60x10",
                },
            ],
            promql_expr_test: [
                {
                    expr:
                        'sum by (service, endpoint) (rate(http_requests_total{status=~"5.."}[5m]))' +
                        " / sum by (service, endpoint) (rate(http_requests_total[5m]))",
                    eval_time: "10m",
                    exp_samples: [{ labels: '{service="gateway", endpoint="blog"}', value: 0.1 }],
                },
                {
                    expr: 'sum by (le) (rate(http_request_duration_seconds_bucket{service="gateway"}[5m]))',
                    eval_time: "10m",
                    exp_samples: [
                        { labels: '{le="0.005"}', value: 0.5 },
                        { labels: '{le="+Inf"}', value: 0.9 },
                    ],
                },
            ],
            alert_rule_test: [
                {
                    eval_time: "10m",
                    alertname: "HighErrorRate",
                    exp_alerts: [],
                },
            ],
        },
    ],
};

describe("alert catalogue", () => {
    it("gives every alert a severity, a wait, a sentence of meaning and a sentence of fix", () => {
        for (const alert of ALERTS) {
            assert.match(alert.alert, /^[A-Z][A-Za-z0-9]+$/, alert.alert);
            assert.ok(["critical", "warning"].includes(alert.severity), alert.alert);
            assert.match(alert.for, /^\d+m$/, alert.alert);
            assert.match(alert.description, /^[A-Z].*\.$/, alert.alert);
            assert.match(alert.fix, /^[A-Z].*\.$/, alert.alert);
        }
        assert.strictEqual(new Set(ALERTS.map((a) => a.alert)).size, ALERTS.length);
    });

    it("has a unit-test file per alert with a case where it fires and one where it stays quiet", () => {
        const files = fs.readdirSync(TESTS_DIR).sort();
        assert.deepStrictEqual(files, ALERTS.map((a) => testFileOf(a.alert)).sort());
        for (const alert of ALERTS) {
            const parsed = yaml.load(fs.readFileSync(path.join(TESTS_DIR, testFileOf(alert.alert)), "utf8")) as RuleTestFile;
            assert.deepStrictEqual(parsed.rule_files, ["alerts.rules.yml"]);
            const cases = parsed.tests.flatMap((t) => t.alert_rule_test ?? []).filter((c) => c.alertname === alert.alert);
            assert.ok(
                cases.some((c) => c.exp_alerts.length > 0),
                `${alert.alert} never fires in its tests`,
            );
            assert.ok(
                cases.some((c) => c.exp_alerts.length === 0),
                `${alert.alert} is never shown staying quiet`,
            );
        }
    });

    it("writes the stack's thresholds and namespaces into the rules", () => {
        const rules = alertRules({
            platformNamespace: "blog-prod",
            monitoringNamespace: "blog-prod-monitoring",
            thresholds: { errorRatio: 0.05, crashLoopRestarts: 5, p95LatencySeconds: { auth: 0.08 } },
        });
        const exprs = alertGroup(rules) as { alert: string; expr: string }[];
        const of = (alert: string) => exprs.filter((r) => r.alert === alert).map((r) => r.expr);
        assert.match(of("HighErrorRate")[0], /namespace="blog-prod".* > 0\.05$/);
        assert.match(of("PodCrashLooping")[0], /namespace=~"blog-prod\|blog-prod-monitoring".*\[15m\]\) >= 5$/);
        assert.deepStrictEqual(of("HighLatencyP95").length, 1);
        assert.match(of("HighLatencyP95")[0], /service="auth".* > 0\.08$/);
    });

    it("takes each alert's `for` from the catalogue unless the stack sets it", () => {
        const forOf = (options: Partial<RulesOptions>) =>
            Object.fromEntries(
                (alertGroup(alertRules({ ...OPTIONS, ...options })) as { alert: string; for: string }[]).map((r) => [r.alert, r.for]),
            );
        assert.deepStrictEqual(forOf({}), Object.fromEntries(ALERTS.map((a) => [a.alert, a.for])));
        const short = forOf({ for: { HighErrorRate: "20s" } });
        assert.strictEqual(short.HighErrorRate, "20s");
        assert.strictEqual(short.PodCrashLooping, ALERTS.find((a) => a.alert === "PodCrashLooping")?.for);
        assert.deepStrictEqual(
            ALERT_NAMES,
            ALERTS.map((a) => a.alert),
        );
    });
});

for (const [name, promtool] of [
    ["Debian's promtool", debianPromtool],
    [`promtool ${DEPLOYED_PROMETHEUS_VERSION}`, upstreamPromtool],
] as const) {
    describe(`alert rules (${name})`, () => {
        let dir: string;
        before(() => (dir = workspace()));
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("pass promtool check rules, lint included", () => {
            const result = run(promtool(), ["check", "rules", "alerts.rules.yml"], dir);
            assert.strictEqual(result.status, 0, result.output);
            assert.match(result.output, /SUCCESS: \d+ rules found/);
        });

        for (const alert of ALERTS) {
            it(`fire ${alert.alert} at its threshold after ${alert.for}, and not before or below (promtool test rules)`, () => {
                const result = run(promtool(), ["test", "rules", testFileOf(alert.alert)], dir);
                assert.strictEqual(result.status, 0, result.output);
                assert.match(result.output, /SUCCESS/);
            });
        }

        it("record the gateway's per-route metrics as http_requests_total and http_request_duration_seconds (promtool test rules)", () => {
            fs.writeFileSync(path.join(dir, "gateway-recording.test.yml"), yaml.dump(GATEWAY_RECORDING_TEST));
            const result = run(promtool(), ["test", "rules", "gateway-recording.test.yml"], dir);
            assert.strictEqual(result.status, 0, result.output);
            assert.match(result.output, /SUCCESS/);
        });

        it("make the unit tests fail when a threshold moves, so they really pin the thresholds", () => {
            const moved = workspace({ errorRatio: 0.2, crashLoopRestarts: 5, p95LatencySeconds: { auth: 0.1, blog: 0.02, comment: 0.05 } });
            try {
                for (const alert of ["HighErrorRate", "PodCrashLooping", "HighLatencyP95"]) {
                    const result = run(promtool(), ["test", "rules", testFileOf(alert)], moved);
                    assert.notStrictEqual(result.status, 0, `${alert}'s tests still pass with moved thresholds:\n${result.output}`);
                }
            } finally {
                fs.rmSync(moved, { recursive: true, force: true });
            }
        });
    });
}
