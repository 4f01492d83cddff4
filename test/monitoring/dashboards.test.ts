import * as assert from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import {
    type Dashboard,
    dashboardProvidersYaml,
    dashboards,
    DASHBOARDS_DIR,
    type DashboardOptions,
    DATASOURCE_UID,
    datasourcesYaml,
    panelQueries,
} from "../../components/monitoring/dashboards";
import { MONITORING_DEFAULTS } from "../../components/monitoring/defaults";
import { BACKEND_SERVICES } from "../../components/shared/topology";
import { ThrowawayPrometheus } from "./tools";

const OPTIONS: DashboardOptions = {
    platformNamespace: "blog-dev",
    monitoringNamespace: "blog-dev-monitoring",
    services: BACKEND_SERVICES,
    p95LatencySeconds: MONITORING_DEFAULTS.thresholds.p95LatencySeconds,
    errorRatio: MONITORING_DEFAULTS.thresholds.errorRatio,
};

/** The dashboards as Grafana reads them: JSON text, parsed back. */
function deployed(): Record<string, Dashboard> {
    return Object.fromEntries(Object.entries(dashboards(OPTIONS)).map(([file, d]) => [file, JSON.parse(JSON.stringify(d, null, 2))]));
}

describe("Grafana dashboards", () => {
    it("include a RED dashboard per instrumented service, pod restarts, and CPU and memory against requests and limits", () => {
        assert.deepStrictEqual(
            Object.keys(deployed()).sort(),
            [...BACKEND_SERVICES.map((s) => `blog-red-${s}.json`), "blog-pod-restarts.json", "blog-resources.json"].sort(),
        );
    });

    it("read rate, errors and P95 from http_requests_total and http_request_duration_seconds", () => {
        const queries = panelQueries(deployed()["blog-red-auth.json"]).join("\n");
        assert.match(queries, /sum by \(status\) \(rate\(http_requests_total\{namespace="blog-dev", service="auth"\}\[5m\]\)\)/);
        assert.match(queries, /status=~"5\.\."/);
        assert.match(
            queries,
            new RegExp(
                String.raw`histogram_quantile\(0\.95, sum by \(le\) ` +
                    String.raw`\(rate\(http_request_duration_seconds_bucket\{namespace="blog-dev", service="auth"\}\[5m\]\)\)\)`,
            ),
        );
        const resources = panelQueries(deployed()["blog-resources.json"]).join("\n");
        for (const metric of [
            "container_cpu_usage_seconds_total",
            "container_memory_working_set_bytes",
            "kube_pod_container_resource_requests",
            "kube_pod_container_resource_limits",
        ]) {
            assert.ok(resources.includes(metric), metric);
        }
        assert.match(panelQueries(deployed()["blog-pod-restarts.json"]).join("\n"), /kube_pod_container_status_restarts_total/);
    });

    it("read CPU and memory use from the pods' own cgroups only, so no container is counted twice", () => {
        const usage = panelQueries(deployed()["blog-resources.json"]).filter((q) => q.includes("container_"));
        assert.ok(usage.length > 0);
        for (const query of usage) {
            for (const selector of query.match(/container_(cpu_usage_seconds_total|memory_working_set_bytes)\{[^}]*\}/g) ?? []) {
                assert.match(selector, /container="", pod!=""/, query);
            }
        }
    });

    it("draw each service's P95 objective and the error-ratio threshold as lines", () => {
        const panels = deployed()["blog-red-auth.json"].panels as any[];
        const steps = (title: RegExp) => panels.find((p) => title.test(p.title)).fieldConfig.defaults.thresholds.steps;
        assert.strictEqual(steps(/Latency/)[1].value, 0.05);
        assert.strictEqual(steps(/5xx/)[1].value, 0.1);
    });

    it("give every panel a query, a unique id and its own place on the grid, on the provisioned datasource", () => {
        for (const [file, d] of Object.entries(deployed())) {
            assert.match(d.uid, /^[a-z0-9-]{1,40}$/, file);
            const panels = d.panels as any[];
            assert.strictEqual(new Set(panels.map((p) => p.id)).size, panels.length, file);
            assert.strictEqual(new Set(panels.map((p) => `${p.gridPos.x},${p.gridPos.y}`)).size, panels.length, file);
            for (const panel of panels) {
                assert.ok(panel.targets.length > 0, `${file}: ${panel.title}`);
                assert.strictEqual(panel.datasource.uid, DATASOURCE_UID);
            }
        }
        const datasources = yaml.load(datasourcesYaml("http://prometheus:9090", "30s")) as any;
        assert.strictEqual(datasources.datasources[0].uid, DATASOURCE_UID);
        assert.strictEqual((yaml.load(dashboardProvidersYaml()) as any).providers[0].options.path, DASHBOARDS_DIR);
    });

    describe("queries, parsed by a real Prometheus", () => {
        let dir: string;
        let prometheus: ThrowawayPrometheus | undefined;
        before(async () => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "dashboards-promql-"));
            prometheus = await ThrowawayPrometheus.start(dir);
        });
        after(async () => {
            await prometheus?.stop();
            fs.rmSync(dir, { recursive: true, force: true });
        });

        it("accepts every panel query of every dashboard", async () => {
            let checked = 0;
            for (const [file, d] of Object.entries(deployed())) {
                for (const expr of panelQueries(d)) {
                    const result = await prometheus!.check(expr);
                    assert.ok(result.ok, `${file}: ${expr}\n${result.error}`);
                    checked++;
                }
            }
            assert.ok(checked >= 20, `only ${checked} queries checked`);
        });

        it("rejects a malformed query, so the check above means something", async () => {
            const result = await prometheus!.check('sum by (le) (rate(http_requests_total{service="auth"}[5m])');
            assert.strictEqual(result.ok, false);
            assert.match(result.error ?? "", /parse error/);
        });
    });
});
