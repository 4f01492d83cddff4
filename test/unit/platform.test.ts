import * as assert from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { parseConfig, type PlatformConfig } from "../../config";
import type { BlogPlatform } from "../../components/platform";
import { buildStack } from "../../stack";
import * as fs from "node:fs";
import * as path from "node:path";
import * as util from "node:util";
import { secretsReadBy } from "../../components/platform";
import {
    METRICS_PORTS,
    SERVICE_NAMES,
    type ServiceName,
    serviceEdges,
    WORKLOAD_PORTS,
    type WorkloadName,
} from "../../components/shared/topology";
import { mockGeneratedValue, ofType, type RecordedResource, recordResources } from "../helpers/mocks";
import { REPO_ROOT, stackConfig } from "../helpers/stack-config";

async function deploy(stack: "dev" | "prod", overrides: Record<string, unknown> = {}) {
    const cfg = parseConfig(stackConfig(stack, overrides));
    const { resources, result } = await recordResources(() => buildStack(cfg));
    // The monitoring stack's children are named after it and tested in test/monitoring.
    return { cfg, resources: resources.filter((r) => !r.name.startsWith("monitoring")), platform: result.platform };
}

/** Long-running workloads; workloadsOf adds the run-to-completion Jobs and CronJobs. */
const servingWorkloadsOf = (resources: RecordedResource[]) => [...ofType(resources, "Deployment"), ...ofType(resources, "StatefulSet")];
const workloadsOf = (resources: RecordedResource[]) => [
    ...servingWorkloadsOf(resources),
    ...ofType(resources, "Job"),
    ...ofType(resources, "CronJob"),
];
/** The pod template of a workload; a CronJob's sits inside its Job template. */
const templateOf = (workload: RecordedResource) =>
    workload.type.endsWith(":CronJob") ? workload.inputs.spec.jobTemplate.spec.template : workload.inputs.spec.template;
const podSpecOf = (workload: RecordedResource) => templateOf(workload).spec;
const allContainers = (workload: RecordedResource) => [...(podSpecOf(workload).initContainers ?? []), ...podSpecOf(workload).containers];
/** Run-to-completion containers (a Job's or CronJob's, an init step's) have no probes: nothing routes to them and they end on their own. */
const runsToCompletion = (workload: RecordedResource, container: unknown) =>
    /:(Cron)?Job$/.test(workload.type) || (podSpecOf(workload).initContainers ?? []).includes(container);

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
    return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

for (const stack of ["dev", "prod"] as const) {
    describe(`BlogPlatform (${stack} stack, under mocks)`, () => {
        let cfg: PlatformConfig;
        let resources: RecordedResource[];
        let platform: BlogPlatform;
        before(async () => ({ cfg, resources, platform } = await deploy(stack)));

        it("deploys every service as a Deployment and each data store as a StatefulSet", () => {
            assert.deepStrictEqual(
                ofType(resources, "Deployment")
                    .map((d) => d.inputs.metadata.name)
                    .sort(),
                [...SERVICE_NAMES].sort(),
            );
            assert.deepStrictEqual(
                ofType(resources, "StatefulSet")
                    .map((s) => s.inputs.metadata.name)
                    .sort(),
                ["postgres", "redis"],
            );
        });

        it("hardens every container and pod for the restricted Pod Security Standard", () => {
            for (const workload of workloadsOf(resources)) {
                const pod = podSpecOf(workload);
                assert.strictEqual(pod.securityContext.runAsNonRoot, true, workload.name);
                assert.ok(pod.securityContext.runAsUser > 0, workload.name);
                assert.strictEqual(pod.securityContext.seccompProfile.type, "RuntimeDefault", workload.name);
                assert.strictEqual(pod.automountServiceAccountToken, false, workload.name);
                for (const container of allContainers(workload)) {
                    const where = `${workload.name}/${container.name}`;
                    assert.strictEqual(container.securityContext.allowPrivilegeEscalation, false, where);
                    assert.strictEqual(container.securityContext.readOnlyRootFilesystem, true, where);
                    assert.deepStrictEqual(container.securityContext.capabilities, { drop: ["ALL"] }, where);
                    assert.ok(container.resources.requests.cpu && container.resources.limits.memory, where);
                    assert.ok(runsToCompletion(workload, container) || (container.livenessProbe && container.readinessProbe), where);
                    assert.match(container.image, /:[\w.-]+$/, where);
                    assert.doesNotMatch(container.image, /:latest$/, where);
                }
            }
        });

        it("probes services on /health and /ready and annotates for Prometheus exactly those that export metrics", () => {
            for (const deployment of ofType(resources, "Deployment").filter((d) => d.inputs.metadata.name !== "gateway")) {
                const [main] = podSpecOf(deployment).containers;
                assert.strictEqual(main.livenessProbe.httpGet.path, "/health");
                assert.strictEqual(main.readinessProbe.httpGet.path, "/ready");
                assert.strictEqual(main.lifecycle.preStop.sleep.seconds, 5);
                const annotations = deployment.inputs.spec.template.metadata.annotations ?? {};
                // The static frontend exports nothing: a scrape would read the SPA's index.html, a target down forever.
                const exportsMetrics = deployment.inputs.metadata.name !== "frontend";
                assert.strictEqual(
                    annotations["prometheus.io/scrape"],
                    exportsMetrics ? "true" : undefined,
                    deployment.inputs.metadata.name,
                );
            }
        });

        it("gives every container distinct liveness and readiness checks, and local-disk requests and limits", () => {
            for (const workload of servingWorkloadsOf(resources)) {
                for (const container of allContainers(workload)) {
                    const where = `${workload.name}/${container.name}`;
                    assert.ok(
                        runsToCompletion(workload, container) || !util.isDeepStrictEqual(container.livenessProbe, container.readinessProbe),
                        where,
                    );
                    assert.ok(container.resources.requests["ephemeral-storage"] && container.resources.limits["ephemeral-storage"], where);
                }
                for (const volume of podSpecOf(workload).volumes.filter((v: any) => v.emptyDir)) {
                    assert.ok(volume.emptyDir.sizeLimit, `${workload.name}/${volume.name} has a size`);
                }
            }
        });

        it("points every Service at the pods of exactly one workload", () => {
            for (const service of ofType(resources, "Service")) {
                const targets = workloadsOf(resources).filter((w) => matches(service.inputs.spec.selector, templateOf(w).metadata.labels));
                // A data store has two: its StatefulSet's governing Service and its clients' `<store>-rw`.
                const named = service.inputs.metadata.name.replace(/-rw$/, "");
                assert.deepStrictEqual(
                    targets.map((t) => t.inputs.metadata.name),
                    [named],
                );
            }
            for (const workload of servingWorkloadsOf(resources)) {
                assert.ok(matches(workload.inputs.spec.selector.matchLabels, workload.inputs.spec.template.metadata.labels), workload.name);
            }
        });

        it("opens exactly the graph's edges, DNS and the public gateway port on top of a default deny", () => {
            const policies = ofType(resources, "NetworkPolicy");
            const deny = policies.find((p) => p.inputs.metadata.name === "default-deny");
            assert.deepStrictEqual(deny?.inputs.spec, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });

            const edgesFromPolicies = new Set<string>();
            for (const policy of policies.filter((p) => p !== deny)) {
                const self = policy.inputs.spec.podSelector.matchLabels["app.kubernetes.io/name"];
                for (const rule of policy.inputs.spec.ingress ?? []) {
                    for (const peer of rule.from ?? []) {
                        if (peer.podSelector) {
                            edgesFromPolicies.add(
                                `${peer.podSelector.matchLabels["app.kubernetes.io/name"]}->${self}:${rule.ports[0].port}`,
                            );
                        }
                    }
                }
            }
            const expected = serviceEdges(
                cfg.gateway.routes.map((r) => r.service),
                { postgresBackup: cfg.postgres.backup.enabled },
            ).map((e) => `${e.from}->${e.to}:${e.port}`);
            assert.deepStrictEqual([...edgesFromPolicies].sort(), [...new Set(expected)].sort());

            const gateway = policies.find((p) => p.inputs.metadata.name === "gateway");
            assert.ok(
                gateway?.inputs.spec.ingress.some((rule: any) => rule.from === undefined && rule.ports[0].port === WORKLOAD_PORTS.gateway),
            );
            for (const policy of policies.filter((p) => p !== deny)) {
                assert.ok(
                    policy.inputs.spec.egress.some((rule: any) => rule.ports.some((port: any) => port.port === 53)),
                    policy.name,
                );
            }
        });

        it("labels the namespace for restricted Pod Security Admission and bounds it with a quota", () => {
            const [namespace] = ofType(resources, "Namespace");
            assert.strictEqual(namespace.inputs.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
            const [quota] = ofType(resources, "ResourceQuota");
            assert.ok(Number(quota.inputs.spec.hard.pods) > workloadsOf(resources).length);
            assert.strictEqual(ofType(resources, "LimitRange").length, 1);
        });

        it("keeps generated credentials out of every ConfigMap and every plain env value", () => {
            const generated = ofType(resources, "RandomPassword").map((p) => mockGeneratedValue(p.name));
            assert.ok(generated.length >= 4);
            const plaintext = JSON.stringify([
                ...ofType(resources, "ConfigMap").map((c) => c.inputs.data),
                ...workloadsOf(resources)
                    .flatMap(allContainers)
                    .map((c) => (c.env ?? []).map((e: any) => e.value)),
            ]);
            for (const value of generated) {
                assert.ok(!plaintext.includes(value), `a generated value leaked into plain config: ${value}`);
            }
        });

        it("exposes connection strings only as secret outputs", async () => {
            assert.strictEqual(await pulumi.isSecret(platform.databaseUrl), true);
            assert.strictEqual(await pulumi.isSecret(platform.redisUrl), true);
        });

        it("wires each service to its dependencies through component outputs", () => {
            const env = (name: string) =>
                podSpecOf(ofType(resources, "Deployment").find((d) => d.inputs.metadata.name === name)!).containers[0].env.map(
                    (e: any) => e.name,
                );
            assert.ok(
                env("auth").includes("DATABASE_HOST") && env("auth").includes("REDIS_HOST") && env("auth").includes("JWT_SIGNING_KEY"),
            );
            assert.ok(env("blog").includes("IMAGE_SERVICE_URL") && env("blog").includes("IMAGE_SERVICE_API_KEY"));
            assert.ok(!env("frontend").includes("DATABASE_HOST"));
            const auth = ofType(resources, "Deployment").find((d) => d.inputs.metadata.name === "auth")!;
            const host = podSpecOf(auth).containers[0].env.find((e: any) => e.name === "DATABASE_HOST").value;
            assert.match(host, /^postgres-rw\.blog-(dev|prod)\.svc\.cluster\.local$/);
        });

        it("connects clients to each data store through a virtual IP, and governs its StatefulSet with a headless Service", () => {
            // A headless name does not resolve while the store's pod is not Ready, and resolvers cache that
            // answer: clients would keep failing for seconds after the store came back.
            const services = ofType(resources, "Service");
            const env = (deployment: string, name: string) =>
                podSpecOf(ofType(resources, "Deployment").find((d) => d.inputs.metadata.name === deployment)!).containers[0].env.find(
                    (e: any) => e.name === name,
                ).value as string;
            for (const [store, host] of [
                ["postgres", env("auth", "DATABASE_HOST")],
                ["redis", env("auth", "REDIS_HOST")],
            ]) {
                const client = services.find((svc) => host.startsWith(`${svc.inputs.metadata.name}.`));
                assert.ok(client, `${store}: no Service named by ${host}`);
                assert.strictEqual(
                    client.inputs.spec.clusterIP,
                    undefined,
                    `${store}: clients' Service ${client.inputs.metadata.name} is headless`,
                );
                const statefulSet = ofType(resources, "StatefulSet").find((s) => s.inputs.metadata.name === store)!;
                const governing = services.find((svc) => svc.inputs.metadata.name === statefulSet.inputs.spec.serviceName);
                assert.strictEqual(governing?.inputs.spec.clusterIP, "None", `${store}: the StatefulSet's serviceName is not headless`);
                assert.notStrictEqual(governing, client);
            }
        });

        it("generates the gateway's nginx.conf with a location for every route", () => {
            const [config] = ofType(resources, "ConfigMap").filter((c) => c.inputs.metadata.name === "gateway-config");
            for (const route of cfg.gateway.routes) {
                assert.ok(config.inputs.data["nginx.conf"].includes(`location ${route.path} {`), route.path);
            }
        });
    });
}

describe("BlogPlatform dev versus prod", () => {
    it("adds autoscalers, disruption budgets, spreading and protection only in prod", async () => {
        const dev = await deploy("dev");
        const prod = await deploy("prod");
        assert.strictEqual(ofType(dev.resources, "HorizontalPodAutoscaler").length, 0);
        assert.strictEqual(ofType(dev.resources, "PodDisruptionBudget").length, 0);
        assert.strictEqual(ofType(prod.resources, "HorizontalPodAutoscaler").length, 6);
        assert.strictEqual(ofType(prod.resources, "PodDisruptionBudget").length, 6);
        for (const hpa of ofType(prod.resources, "HorizontalPodAutoscaler")) {
            const targets = hpa.inputs.spec.metrics.map((m: any) => `${m.resource.name}:${m.resource.target.averageUtilization}`);
            assert.deepStrictEqual(targets, ["cpu:70", "memory:80"]);
        }
        const floors = new Map(
            ofType(prod.resources, "HorizontalPodAutoscaler").map((h) => [h.inputs.metadata.name, h.inputs.spec.minReplicas]),
        );
        for (const deployment of ofType(prod.resources, "Deployment")) {
            const floor = floors.get(deployment.inputs.metadata.name);
            assert.ok(floor >= 2, `${deployment.name}: HPA floor ${floor}`);
            assert.strictEqual(deployment.inputs.spec.replicas, floor, "the Deployment starts at its HPA's floor");
            assert.ok(podSpecOf(deployment).topologySpreadConstraints.length > 0);
        }
        const devClaims = ofType(dev.resources, "StatefulSet").find((s) => s.name === "postgres-statefulset")!.inputs.spec
            .volumeClaimTemplates;
        const prodClaims = ofType(prod.resources, "StatefulSet").find((s) => s.name === "postgres-statefulset")!.inputs.spec
            .volumeClaimTemplates;
        assert.strictEqual(devClaims[0].spec.resources.requests.storage, "1Gi");
        assert.strictEqual(prodClaims[0].spec.resources.requests.storage, "20Gi");
        assert.strictEqual(ofType(prod.resources, "Ingress").length, 1);
        assert.strictEqual(ofType(dev.resources, "Ingress").length, 0);
    });

    it("selects with each workload's NetworkPolicy exactly that workload's pods", async () => {
        const { resources } = await deploy("dev");
        const policies = ofType(resources, "NetworkPolicy").filter((p) => p.inputs.metadata.name !== "default-deny");
        assert.strictEqual(policies.length, workloadsOf(resources).length);
        for (const policy of policies) {
            const selected = workloadsOf(resources).filter((w) =>
                matches(policy.inputs.spec.podSelector.matchLabels, templateOf(w).metadata.labels),
            );
            assert.deepStrictEqual(
                selected.map((w) => templateOf(w).metadata.labels["app.kubernetes.io/name"]),
                [policy.inputs.metadata.name],
                policy.name,
            );
        }
    });

    it("admits the scraper namespace to each workload on the metrics port the service graph gives it, and to nothing else", async () => {
        const { resources, cfg } = await deploy("dev");
        for (const policy of ofType(resources, "NetworkPolicy").filter((p) => p.inputs.metadata.name !== "default-deny")) {
            const scraped = (policy.inputs.spec.ingress as any[])
                .filter((rule) =>
                    (rule.from ?? []).some(
                        (peer: any) => peer.namespaceSelector?.matchLabels["kubernetes.io/metadata.name"] === cfg.metricsScraperNamespace,
                    ),
                )
                .flatMap((rule) => rule.ports.map((port: any) => port.port));
            const workload = policy.inputs.metadata.name as WorkloadName;
            assert.deepStrictEqual(scraped, METRICS_PORTS[workload] === undefined ? [] : [METRICS_PORTS[workload]], workload);
        }
    });
});

describe("generated service keys", () => {
    it("are read by their owner and by every service calling the owner, which therefore depend on them", () => {
        const expected: Partial<Record<ServiceName, ReturnType<typeof secretsReadBy>>> = {
            gateway: [],
            frontend: [],
            auth: ["auth"],
            blog: ["image"],
            comment: [],
            image: ["image"],
        };
        for (const [service, keys] of Object.entries(expected)) {
            assert.deepStrictEqual(secretsReadBy(service as ServiceName), keys, service);
        }
    });
});

describe("module layering", () => {
    it("keeps config flowing one way: no component imports the config modules", () => {
        const offenders: string[] = [];
        const walk = (dir: string): void => {
            for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
                const file = path.join(dir, entry.name);
                if (entry.isDirectory()) {
                    walk(file);
                } else if (/from "(\.\.\/)+config(\/[^"]*)?"/.test(fs.readFileSync(file, "utf8"))) {
                    offenders.push(path.relative(REPO_ROOT, file));
                }
            }
        };
        walk(path.join(REPO_ROOT, "components"));
        assert.deepStrictEqual(offenders, []);
    });
});
