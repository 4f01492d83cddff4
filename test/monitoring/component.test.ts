import * as assert from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import * as yaml from "js-yaml";
import { parseConfig, type PlatformConfig } from "../../config";
import { MonitoringStack } from "../../components/monitoring";
import { IMAGES, PORTS } from "../../components/monitoring/defaults";
import { BACKEND_SERVICES, platformMetricsPorts } from "../../components/shared/topology";
import { buildStack, monitoringArgs } from "../../stack";
import { mockGeneratedValue, ofType, type RecordedResource, recordResources } from "../helpers/mocks";
import { stackConfig } from "../helpers/stack-config";

// How the engine receives a secret input: wrapped with Pulumi's signature key and the secret signature.
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const WEBHOOK_URL = "https://hooks.example.com/services/T0/B0/s3cr3t-token";
const RECEIVERS = [{ name: "pager", webhookUrl: WEBHOOK_URL, severities: ["critical"] }];

/**
 * The platform and the monitoring stack wired as index.ts wires them. The dev stack's image lock has no
 * Grafana (none is built here), so Grafana's upstream image is set explicitly to test it in both stacks.
 */
async function deploy(stack: "dev" | "prod") {
    const raw = stackConfig(stack);
    const fromStack = JSON.parse(raw["blog:monitoring"]);
    const images = { ...fromStack.images, grafana: IMAGES.grafana };
    const monitoring = { ...fromStack, images, receivers: RECEIVERS };
    const cfg = parseConfig({ ...raw, "blog:monitoring": JSON.stringify(monitoring) });
    const { resources, result } = await recordResources(() => buildStack(cfg));
    return { cfg, resources, monitoring: result.monitoring! };
}

const inNamespace = (resources: RecordedResource[], namespace: string) =>
    resources.filter((r) => r.inputs.metadata?.namespace === namespace);
const workloadsOf = (resources: RecordedResource[]) => [...ofType(resources, "Deployment"), ...ofType(resources, "StatefulSet")];
const podSpecOf = (workload: RecordedResource) => workload.inputs.spec.template.spec;
const named = (resources: RecordedResource[], name: string) => resources.find((r) => r.inputs.metadata?.name === name)!;

for (const stack of ["dev", "prod"] as const) {
    describe(`MonitoringStack (${stack} stack, under mocks)`, () => {
        let cfg: PlatformConfig;
        let all: RecordedResource[];
        let resources: RecordedResource[];
        let monitoring: MonitoringStack;
        before(async () => {
            ({ cfg, resources: all, monitoring } = await deploy(stack));
            resources = all.filter((r) => r.name.startsWith("monitoring-"));
        });

        it("names every child after the component and runs its workloads in their own namespace", () => {
            assert.ok(resources.length > 20);
            assert.deepStrictEqual(
                workloadsOf(resources)
                    .map((w) => `${w.type.split(":").pop()}/${w.inputs.metadata.name}`)
                    .sort(),
                ["Deployment/alertmanager", "Deployment/grafana", "Deployment/kube-state-metrics", "StatefulSet/prometheus"],
            );
            for (const workload of workloadsOf(resources)) {
                assert.strictEqual(workload.inputs.metadata.namespace, cfg.monitoring.namespace, workload.name);
            }
        });

        it("labels its namespace for restricted Pod Security Admission, starts from a default deny and bounds it with a quota", () => {
            const namespace = ofType(resources, "Namespace")[0];
            assert.strictEqual(namespace.inputs.metadata.name, cfg.monitoring.namespace);
            assert.strictEqual(namespace.inputs.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
            const deny = ofType(resources, "NetworkPolicy").find((p) => p.inputs.metadata.name === "default-deny");
            assert.deepStrictEqual(deny?.inputs.spec, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
            assert.ok(Number(ofType(resources, "ResourceQuota")[0].inputs.spec.hard.pods) >= 4);
        });

        it("hardens every container for the restricted Pod Security Standard, with pinned images, resources and probes", () => {
            for (const workload of workloadsOf(resources)) {
                const pod = podSpecOf(workload);
                assert.strictEqual(pod.securityContext.runAsNonRoot, true, workload.name);
                assert.ok(pod.securityContext.runAsUser > 0, workload.name);
                assert.strictEqual(pod.securityContext.seccompProfile.type, "RuntimeDefault", workload.name);
                for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
                    const where = `${workload.name}/${container.name}`;
                    assert.strictEqual(container.securityContext.allowPrivilegeEscalation, false, where);
                    assert.strictEqual(container.securityContext.readOnlyRootFilesystem, true, where);
                    assert.strictEqual(container.securityContext.runAsNonRoot, true, where);
                    assert.deepStrictEqual(container.securityContext.capabilities, { drop: ["ALL"] }, where);
                    assert.ok(container.resources.requests.cpu && container.resources.requests.memory, where);
                    assert.ok(container.resources.limits.cpu && container.resources.limits.memory, where);
                    assert.ok(container.livenessProbe && container.readinessProbe, where);
                    assert.notDeepStrictEqual(container.livenessProbe, container.readinessProbe, where);
                    assert.ok(container.resources.requests["ephemeral-storage"] && container.resources.limits["ephemeral-storage"], where);
                    assert.match(container.image, /(:v?\d+\.\d+\.\d+|@sha256:[a-f0-9]{64})$/, where);
                }
            }
        });

        it("mounts a service-account token only into Prometheus and kube-state-metrics, which read the API", () => {
            const mounting = workloadsOf(resources)
                .filter((w) => podSpecOf(w).automountServiceAccountToken === true)
                .map((w) => w.inputs.metadata.name);
            assert.deepStrictEqual(mounting.sort(), ["kube-state-metrics", "prometheus"]);
            for (const account of ofType(resources, "ServiceAccount")) {
                assert.strictEqual(account.inputs.automountServiceAccountToken, false, account.name);
            }
        });

        it("grants Prometheus read-only discovery and kube-state-metrics only what it exports, never Secrets", () => {
            const roles = ofType(resources, "ClusterRole");
            const rules = (name: string) =>
                roles.find((r) => r.inputs.metadata.name === `${cfg.monitoring.namespace}-${name}`)!.inputs.rules;
            const grants = (name: string) =>
                (rules(name) as any[])
                    .flatMap((rule) =>
                        rule.resources.flatMap((resource: string) =>
                            rule.verbs.map((verb: string) => `${rule.apiGroups[0] || "core"}/${resource}:${verb}`),
                        ),
                    )
                    .sort();
            const discovery = ["core/pods", "core/endpoints", "core/services", "core/nodes", "discovery.k8s.io/endpointslices"].flatMap(
                (resource) => ["get", "list", "watch"].map((verb) => `${resource}:${verb}`),
            );
            assert.deepStrictEqual(grants("prometheus"), [...discovery, "core/nodes/metrics:get"].sort());
            assert.deepStrictEqual(
                grants("kube-state-metrics"),
                [
                    "core/pods:list",
                    "core/pods:watch",
                    "apps/deployments:list",
                    "apps/deployments:watch",
                    "apps/statefulsets:list",
                    "apps/statefulsets:watch",
                ].sort(),
            );
            for (const binding of ofType(resources, "ClusterRoleBinding")) {
                const [subject] = binding.inputs.subjects;
                assert.strictEqual(subject.namespace, cfg.monitoring.namespace);
                assert.strictEqual(binding.inputs.roleRef.name, `${cfg.monitoring.namespace}-${subject.name}`);
            }
        });

        it("keeps the webhook URL and the Grafana password out of every ConfigMap, env value and annotation", () => {
            const password = mockGeneratedValue("monitoring-grafana-admin-password");
            assert.ok(ofType(resources, "RandomPassword").some((p) => p.name === "monitoring-grafana-admin-password"));
            const plaintext = JSON.stringify([
                ...ofType(all, "ConfigMap").map((c) => c.inputs.data),
                ...workloadsOf(all).map((w) => w.inputs.spec.template.metadata),
                ...workloadsOf(all)
                    .flatMap((w) => podSpecOf(w).containers)
                    .map((c) => (c.env ?? []).map((e: any) => e.value)),
            ]);
            assert.ok(!plaintext.includes(WEBHOOK_URL), "the webhook URL leaked into plain config");
            assert.ok(!plaintext.includes(password), "the Grafana password leaked into plain config");

            const secret = named(resources, "alertmanager-config");
            assert.strictEqual(secret.type, "kubernetes:core/v1:Secret");
            const stringData = secret.inputs.stringData;
            assert.strictEqual(stringData[SIG_KEY], SECRET_SIG, "the Secret's data reaches the engine as a secret, encrypted in state");
            const config = yaml.load(stringData.value["alertmanager.yml"]) as any;
            assert.strictEqual(config.receivers.find((r: any) => r.name === "pager").webhook_configs[0].url, WEBHOOK_URL);
            const grafana = podSpecOf(named(ofType(resources, "Deployment"), "grafana")).containers[0];
            const passwordEnv = grafana.env.find((e: any) => e.name === "GF_SECURITY_ADMIN_PASSWORD");
            assert.deepStrictEqual(passwordEnv.valueFrom.secretKeyRef, { name: "grafana-admin", key: "password" });
        });

        it("exposes the Grafana password and the Alertmanager config only as secret outputs", async () => {
            assert.ok(monitoring.grafanaAdminPassword, "Grafana runs with the upstream image");
            assert.strictEqual(await pulumi.isSecret(monitoring.grafanaAdminPassword), true);
            assert.strictEqual(await pulumi.isSecret(monitoring.alertmanagerConfig), true);
        });

        it("lets Prometheus reach exactly the metrics ports the platform admits it to", () => {
            const platformPolicies = inNamespace(ofType(all, "NetworkPolicy"), cfg.namespace);
            const admitted = new Set<number>();
            for (const policy of platformPolicies) {
                for (const rule of policy.inputs.spec.ingress ?? []) {
                    if (
                        (rule.from ?? []).some(
                            (peer: any) => peer.namespaceSelector?.matchLabels["kubernetes.io/metadata.name"] === cfg.monitoring.namespace,
                        )
                    ) {
                        for (const port of rule.ports) {
                            admitted.add(port.port);
                        }
                    }
                }
            }
            assert.deepStrictEqual([...admitted].sort(), platformMetricsPorts());
            assert.ok(admitted.size > 0);

            const prometheus = named(ofType(resources, "NetworkPolicy"), "prometheus").inputs.spec;
            const toPlatform = prometheus.egress.filter((rule: any) =>
                rule.to.some((peer: any) => peer.namespaceSelector?.matchLabels["kubernetes.io/metadata.name"] === cfg.namespace),
            );
            assert.deepStrictEqual(
                toPlatform.flatMap((rule: any) => rule.ports.map((p: any) => p.port)),
                platformMetricsPorts(),
            );
        });

        it("admits Grafana to Prometheus, Prometheus to the exporters, and nothing else inside the namespace", () => {
            const policies = ofType(resources, "NetworkPolicy").filter((p) => p.inputs.metadata.name !== "default-deny");
            const edges = new Set<string>();
            for (const policy of policies) {
                const self = policy.inputs.spec.podSelector.matchLabels["app.kubernetes.io/name"];
                for (const rule of policy.inputs.spec.ingress) {
                    for (const peer of rule.from) {
                        const ports = rule.ports.map((p: any) => p.port).join(",");
                        edges.add(`${peer.podSelector.matchLabels["app.kubernetes.io/name"]}->${self}:${ports}`);
                    }
                }
            }
            assert.deepStrictEqual([...edges].sort(), [
                `grafana->prometheus:${PORTS.prometheus}`,
                `prometheus->alertmanager:${PORTS.alertmanager}`,
                `prometheus->grafana:${PORTS.grafana}`,
                `prometheus->kube-state-metrics:${PORTS.kubeStateMetrics}`,
            ]);
            for (const policy of policies) {
                assert.ok(
                    policy.inputs.spec.egress.some((rule: any) => rule.ports.some((p: any) => p.port === 53)),
                    `${policy.name} resolves DNS`,
                );
            }
            const alertmanager = named(policies, "alertmanager").inputs.spec;
            assert.ok(
                alertmanager.egress.some((rule: any) => rule.ports.some((p: any) => p.port === 443)),
                "Alertmanager reaches its HTTPS webhook",
            );
        });

        it("sizes Prometheus's claim and retention per stack and scrapes at the stack's interval", () => {
            const statefulSet = named(ofType(resources, "StatefulSet"), "prometheus");
            assert.strictEqual(statefulSet.inputs.spec.volumeClaimTemplates[0].spec.resources.requests.storage, cfg.monitoring.storageSize);
            const args: string[] = podSpecOf(statefulSet).containers[0].args;
            assert.ok(args.includes(`--storage.tsdb.retention.time=${cfg.monitoring.retention}`), args.join(" "));
            const config = named(ofType(resources, "ConfigMap"), "prometheus-config").inputs.data;
            const prometheusYml = yaml.load(config["prometheus.yml"]) as any;
            assert.strictEqual(prometheusYml.global.scrape_interval, cfg.monitoring.scrapeInterval);
            assert.deepStrictEqual(prometheusYml.rule_files, ["rules/alerts.rules.yml"]);
            const volume = podSpecOf(statefulSet).volumes.find((v: any) => v.name === "config");
            assert.deepStrictEqual(
                volume.configMap.items.map((i: any) => i.path),
                ["prometheus.yml", "rules/alerts.rules.yml"],
            );
            assert.match(config["alerts.rules.yml"], new RegExp(`> ${cfg.monitoring.alerts.errorRatio}"`));
        });

        it("provisions Grafana with the Prometheus datasource and dashboards that are valid JSON", () => {
            const provisioning = named(ofType(resources, "ConfigMap"), "grafana-provisioning").inputs.data;
            const datasource = (yaml.load(provisioning["datasources.yml"]) as any).datasources[0];
            assert.strictEqual(datasource.url, `http://prometheus.${cfg.monitoring.namespace}.svc.cluster.local:${PORTS.prometheus}`);
            const files = named(ofType(resources, "ConfigMap"), "grafana-dashboards").inputs.data;
            // A RED dashboard per instrumented backend, the pod restarts and the resources dashboards.
            assert.deepStrictEqual(
                Object.keys(files).sort(),
                [...BACKEND_SERVICES, "gateway"]
                    .map((s) => `blog-red-${s}.json`)
                    .concat("blog-pod-restarts.json", "blog-resources.json")
                    .sort(),
            );
            for (const [file, text] of Object.entries(files)) {
                const dashboard = JSON.parse(text as string);
                assert.ok(dashboard.panels.length > 0, file);
            }
        });
    });
}

describe("MonitoringStack: Alertmanager's egress from its receivers", () => {
    it("gives Alertmanager egress to exactly a receiver's address and port when its URL names an address", async () => {
        const raw = stackConfig("dev");
        const monitoring = {
            ...JSON.parse(raw["blog:monitoring"]),
            receivers: [{ name: "local", webhookUrl: "http://10.244.0.1:39011/hook" }],
        };
        const cfg = parseConfig({ ...raw, "blog:monitoring": JSON.stringify(monitoring) });
        const { resources } = await recordResources(() => new MonitoringStack("monitoring", monitoringArgs(cfg)));
        const alertmanager = named(ofType(resources, "NetworkPolicy"), "alertmanager").inputs.spec;
        const beyondDns = alertmanager.egress.filter((rule: any) => !rule.ports.some((p: any) => p.port === 53));
        assert.deepStrictEqual(
            beyondDns.map((rule: any) => [rule.to.map((peer: any) => peer.ipBlock.cidr), rule.ports.map((p: any) => p.port)]),
            [[["10.244.0.1/32"], [39011]]],
        );
    });

    it("gives Alertmanager no egress beyond DNS", async () => {
        const cfg = parseConfig(stackConfig("dev"));
        const { resources } = await recordResources(() => new MonitoringStack("monitoring", monitoringArgs(cfg)));
        const alertmanager = named(ofType(resources, "NetworkPolicy"), "alertmanager").inputs.spec;
        assert.deepStrictEqual(
            alertmanager.egress.flatMap((rule: any) => rule.ports.map((p: any) => p.port)),
            [53, 53],
        );
    });
});
