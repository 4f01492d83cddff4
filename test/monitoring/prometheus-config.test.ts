import * as assert from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { type PrometheusConfigOptions, prometheusConfig, prometheusYaml } from "../../components/monitoring/prometheus-config";
import { MONITORING_DEFAULTS } from "../../components/monitoring/defaults";
import { alertRules } from "../../components/monitoring/rules";
import { PROMETHEUS_FILES } from "../../components/monitoring/spec";
import { DEPLOYED_PROMETHEUS_VERSION, run, upstreamPromtool } from "./tools";

const OPTIONS: PrometheusConfigOptions = {
    scrapeInterval: "15s",
    namespaces: ["blog-prod", "blog-prod-monitoring"],
    kubeStateMetrics: "kube-state-metrics.blog-prod-monitoring.svc.cluster.local:8080",
    alertmanager: "alertmanager.blog-prod-monitoring.svc.cluster.local:9093",
    ruleFiles: [PROMETHEUS_FILES.rulesPath],
};

type Job = {
    job_name: string;
    kubernetes_sd_configs?: { role: string; namespaces?: { names: string[] } }[];
    relabel_configs?: Record<string, unknown>[];
};

describe("prometheus.yml", () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "prometheus-config-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it(`passes promtool ${DEPLOYED_PROMETHEUS_VERSION} check config, with its rule file where the config says`, () => {
        // promtool checks that the service-account files exist: stand-ins replace the in-cluster mount.
        const serviceAccountDir = path.join(dir, "serviceaccount");
        fs.mkdirSync(serviceAccountDir);
        fs.writeFileSync(path.join(serviceAccountDir, "token"), "token");
        fs.writeFileSync(path.join(serviceAccountDir, "ca.crt"), "");
        fs.mkdirSync(path.join(dir, path.dirname(PROMETHEUS_FILES.rulesPath)));
        fs.writeFileSync(
            path.join(dir, PROMETHEUS_FILES.rulesPath),
            alertRules({
                platformNamespace: "blog-prod",
                monitoringNamespace: "blog-prod-monitoring",
                thresholds: MONITORING_DEFAULTS.thresholds,
            }),
        );
        fs.writeFileSync(path.join(dir, PROMETHEUS_FILES.config), prometheusYaml({ ...OPTIONS, serviceAccountDir }));

        const result = run(upstreamPromtool(), ["check", "config", PROMETHEUS_FILES.config], dir);
        assert.strictEqual(result.status, 0, result.output);
        assert.match(result.output, /SUCCESS: 1 rule files found/);
        assert.match(result.output, /SUCCESS: \d+ rules found/);
    });

    it("fails promtool check config when the rule file is missing, so the check above means something", () => {
        const serviceAccountDir = path.join(dir, "serviceaccount");
        fs.mkdirSync(serviceAccountDir);
        fs.writeFileSync(path.join(serviceAccountDir, "token"), "token");
        fs.writeFileSync(path.join(serviceAccountDir, "ca.crt"), "");
        fs.writeFileSync(
            path.join(dir, PROMETHEUS_FILES.config),
            prometheusYaml({ ...OPTIONS, serviceAccountDir }).replace("rules/", "missing/"),
        );
        const result = run(upstreamPromtool(), ["check", "config", PROMETHEUS_FILES.config], dir);
        assert.notStrictEqual(result.status, 0, result.output);
    });

    it("evaluates rules at the scrape interval unless an evaluation interval is given", () => {
        assert.strictEqual((prometheusConfig(OPTIONS).global as Record<string, string>).evaluation_interval, "15s");
        assert.strictEqual(
            (prometheusConfig({ ...OPTIONS, evaluationInterval: "5s" }).global as Record<string, string>).evaluation_interval,
            "5s",
        );
        assert.strictEqual(
            (prometheusConfig({ ...OPTIONS, evaluationInterval: "5s" }).global as Record<string, string>).scrape_interval,
            "15s",
        );
    });

    it("discovers annotated pods the reference's way, in the platform and monitoring namespaces only", () => {
        const config = yaml.load(prometheusYaml(OPTIONS)) as { global: Record<string, string>; scrape_configs: Job[] };
        assert.strictEqual(config.global.scrape_interval, "15s");
        const pods = config.scrape_configs.find((job) => job.job_name === "kubernetes-pods")!;
        assert.deepStrictEqual(pods.kubernetes_sd_configs, [{ role: "pod", namespaces: { names: ["blog-prod", "blog-prod-monitoring"] } }]);
        const relabelled = (pods.relabel_configs ?? []).map(
            (r) => `${(r.source_labels as string[]).join(",")}->${r.action ?? "replace"}:${r.target_label ?? ""}`,
        );
        assert.ok(relabelled.includes("__meta_kubernetes_pod_annotation_prometheus_io_scrape->keep:"));
        assert.ok(relabelled.includes("__meta_kubernetes_pod_annotation_prometheus_io_path->replace:__metrics_path__"));
        assert.ok(relabelled.includes("__address__,__meta_kubernetes_pod_annotation_prometheus_io_port->replace:__address__"));
        assert.ok(relabelled.includes("__meta_kubernetes_pod_label_app_kubernetes_io_name->replace:service"));
    });

    it("rewrites a target's port to the one its prometheus.io/port annotation names", () => {
        const rule = (prometheusConfig(OPTIONS).scrape_configs as Job[])[1].relabel_configs!.find((r) => r.target_label === "__address__")!;
        const rewrite = (address: string, port: string) =>
            // Prometheus anchors relabel regexes; RE2 and JavaScript agree on this one's syntax.
            `${address};${port}`.replace(new RegExp(`^(?:${rule.regex as string})$`), rule.replacement as string);
        assert.strictEqual(rewrite("10.1.2.3:8080", "9113"), "10.1.2.3:9113");
        assert.strictEqual(rewrite("10.1.2.3", "8080"), "10.1.2.3:8080");
    });

    it("scrapes kube-state-metrics keeping the namespace and pod labels of the objects it describes", () => {
        const jobs = prometheusConfig(OPTIONS).scrape_configs as (Job & { honor_labels?: boolean })[];
        const ksm = jobs.find((job) => job.job_name === "kube-state-metrics")!;
        assert.strictEqual(ksm.honor_labels, true);
    });
});
