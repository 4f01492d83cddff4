// Local prod (scripts/lib/local-prod.ts): the committed prod config with the lock's images, the node's
// Traefik, and CPU requests that fit the real node, while replicas and limits stay prod's.
import * as assert from "node:assert";
import { parseConfig } from "../../config";
import { parseQuantity } from "../../components/shared/quantity";
import { buildStack } from "../../stack";
import { LOCAL_INGRESS_CLASS, localProdOverrides, readProdStackFile } from "../../scripts/lib/local-prod";
import { ofType, type RecordedResource, recordResources } from "../helpers/mocks";
import { FIXTURE_IMAGE_LOCK, stackConfig } from "../helpers/stack-config";

/** The node's allocatable CPU less what its add-ons request (CoreDNS, metrics-server, Traefik, local-path). */
const NODE_CPU_FREE = 2 - 0.13;

const localProd = () => parseConfig(stackConfig("prod", localProdOverrides(readProdStackFile().config, FIXTURE_IMAGE_LOCK)));

/**
 * CPUs the long-running pods request: every container of every Deployment and StatefulSet, times its
 * replicas (an autoscaled Deployment leaves replicas to its HPA's minReplicas).
 */
function requestedCpus(resources: RecordedResource[]): number {
    const hpaFloor = new Map(
        ofType(resources, "HorizontalPodAutoscaler").map((h) => [h.inputs.spec.scaleTargetRef.name, h.inputs.spec.minReplicas]),
    );
    const workloads = resources.filter((r) => r.type.endsWith(":Deployment") || r.type.endsWith(":StatefulSet"));
    return workloads.reduce((sum, w) => {
        const containers = w.inputs.spec.template.spec.containers as { resources?: { requests?: { cpu?: string } } }[];
        const perPod = containers.reduce((pod, c) => pod + (parseQuantity(c.resources?.requests?.cpu ?? "0") ?? 0), 0);
        return sum + perPod * (w.inputs.spec.replicas ?? hpaFloor.get(w.inputs.metadata.name) ?? 1);
    }, 0);
}

describe("local prod (scripts/lib/local-prod.ts)", () => {
    it("takes every image from the lock, never an upstream registry the offline node cannot pull", () => {
        const cfg = localProd();
        const images = [
            ...Object.values(cfg.services).map((s) => s.image),
            cfg.postgres.image,
            cfg.redis.image,
            cfg.gateway.exporterImage,
            ...Object.values(cfg.monitoring.images),
        ];
        assert.deepStrictEqual(
            images.filter((image) => !image?.startsWith("127.0.0.1:5000/")),
            [],
        );
        assert.strictEqual(cfg.monitoring.grafana, false, "no Grafana image is built here");
    });

    it("serves the Ingress through the node's Traefik over plain HTTP on prod's domain", () => {
        const cfg = localProd();
        const prod = parseConfig(stackConfig("prod"));
        assert.strictEqual(cfg.gateway.exposure, "Ingress");
        assert.strictEqual(cfg.gateway.domain, prod.gateway.domain);
        assert.strictEqual(cfg.gateway.ingressClassName, LOCAL_INGRESS_CLASS);
        assert.strictEqual(cfg.gateway.tlsSecretName, undefined);
    });

    it("keeps prod's replicas and CPU and memory limits, and lowers only CPU requests", () => {
        const cfg = localProd();
        const prod = parseConfig(stackConfig("prod"));
        for (const [name, service] of Object.entries(cfg.services)) {
            const prodService = prod.services[name as keyof typeof prod.services];
            assert.strictEqual(service.replicas, prodService.replicas, name);
            assert.strictEqual(service.minReplicas, prodService.minReplicas, name);
            assert.deepStrictEqual(service.resources.limits, prodService.resources.limits, name);
            assert.strictEqual(service.resources.requests.memory, prodService.resources.requests.memory, name);
            assert.ok(
                (parseQuantity(service.resources.requests.cpu) ?? 0) < (parseQuantity(prodService.resources.requests.cpu) ?? 0),
                `${name}: ${service.resources.requests.cpu}`,
            );
        }
        assert.deepStrictEqual(cfg.postgres.resources, prod.postgres.resources);
    });

    it("fits the real node's free CPU, where prod's own requests do not", async () => {
        const local = requestedCpus((await recordResources(() => buildStack(localProd()))).resources);
        const prod = requestedCpus((await recordResources(() => buildStack(parseConfig(stackConfig("prod"))))).resources);
        console.log(`      CPU requested: prod ${prod.toFixed(2)}, local prod ${local.toFixed(2)}, node free ${NODE_CPU_FREE.toFixed(2)}`);
        assert.ok(prod > NODE_CPU_FREE, `prod requests ${prod}`);
        assert.ok(local <= NODE_CPU_FREE, `local prod requests ${local}`);
    });
});
