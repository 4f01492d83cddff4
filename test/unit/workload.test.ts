import * as assert from "node:assert";
import { parseQuantity } from "../../components/shared/quantity";
import { configChecksum, hardenedContainer, podTemplate, Probe, TMP } from "../../components/shared/workload";

const resources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } };
const probes = {
    liveness: Probe.tcp("http", { periodSeconds: 10, failureThreshold: 3 }),
    readiness: Probe.http("/ready", "http", { periodSeconds: 5, failureThreshold: 2 }),
};

describe("workload layer", () => {
    it("gives a container local-disk requests and a limit covering its scratch volumes and its logs", () => {
        const { container, volumes } = hardenedContainer({
            name: "app",
            image: "example.com/app:1.0.0",
            resources,
            probes,
            scratch: [TMP, { path: "/var/cache/app", size: "1Gi" }],
        });
        const r = container.resources as any;
        assert.strictEqual(r.requests["ephemeral-storage"], "32Mi");
        assert.strictEqual(
            parseQuantity(r.limits["ephemeral-storage"]),
            parseQuantity("128Mi")! + parseQuantity("64Mi")! + parseQuantity("1Gi")!,
        );
        assert.deepStrictEqual(volumes, [
            { name: "scratch-tmp", emptyDir: { sizeLimit: "64Mi" } },
            { name: "scratch-var-cache-app", emptyDir: { sizeLimit: "1Gi" } },
        ]);
        assert.deepStrictEqual(
            (container.volumeMounts as any[]).map((m) => `${m.name}:${m.mountPath}`),
            ["scratch-tmp:/tmp", "scratch-var-cache-app:/var/cache/app"],
        );
    });

    it("refuses a container whose liveness and readiness probes check the same thing", () => {
        assert.throws(
            () =>
                hardenedContainer({
                    name: "app",
                    image: "x:1",
                    resources,
                    probes: { liveness: probes.readiness, readiness: probes.readiness },
                }),
            /app: liveness and readiness must check different things/,
        );
    });

    it("hardens every container for the restricted profile and mounts no token unless asked", () => {
        const app = hardenedContainer({ name: "app", image: "x:1", resources, probes });
        const pod = podTemplate({ workload: "app", component: "api", uid: 1000, containers: [app], scrape: { port: 9000 } });
        assert.deepStrictEqual((app.container.securityContext as any).capabilities, { drop: ["ALL"] });
        assert.strictEqual((pod.spec as any).automountServiceAccountToken, false);
        assert.strictEqual((pod.metadata as any).annotations["prometheus.io/port"], "9000");
        assert.deepStrictEqual((pod.spec as any).volumes, []);
    });

    it("refuses a pod whose containers bring volumes of the same name, as the API server would", () => {
        const main = hardenedContainer({ name: "main", image: "x:1", resources, probes, scratch: [TMP] });
        const sidecar = hardenedContainer({ name: "sidecar", image: "y:1", resources, probes, scratch: [TMP] });
        assert.throws(
            () => podTemplate({ workload: "app", component: "api", uid: 1000, containers: [main, sidecar] }),
            /app: pod volumes must have unique names \(duplicated: scratch-tmp\)/,
        );
    });

    it("changes the config checksum when any file changes, and only then", () => {
        assert.strictEqual(configChecksum({ a: "1", b: "2" }), configChecksum({ b: "2", a: "1" }));
        assert.notStrictEqual(configChecksum({ a: "1" }), configChecksum({ a: "2" }));
        assert.notStrictEqual(configChecksum({ a: "1" }), configChecksum({ b: "1" }));
    });
});
