import * as assert from "node:assert";
import { statefulStoreSpec } from "../../components/datastore/spec";
import { CONTAINER_MAX, limitRangeSpec } from "../../components/namespace/spec";

const base = {
    name: "store",
    image: "example.com/store:1.0.0",
    port: 5432,
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } },
    uid: 999,
    env: [],
    readinessCommand: ["pg_isready"],
    dataPath: "/data",
    scratch: [],
    terminationGracePeriodSeconds: 30,
};

describe("data store StatefulSet spec", () => {
    it("restarts a store only when its port stops accepting, and takes it out of service when it cannot answer", () => {
        const [container] = (statefulStoreSpec(base).template as any).spec.containers;
        assert.deepStrictEqual(container.livenessProbe.tcpSocket, { port: "tcp" });
        assert.deepStrictEqual(container.readinessProbe.exec, { command: ["pg_isready"] });
    });

    it("keeps data on a retained claim when storage is set, and on a size-limited emptyDir otherwise", () => {
        const withClaim = statefulStoreSpec({ ...base, storage: { size: "5Gi", storageClass: "fast" } }) as any;
        assert.strictEqual(withClaim.volumeClaimTemplates[0].spec.resources.requests.storage, "5Gi");
        assert.strictEqual(withClaim.persistentVolumeClaimRetentionPolicy.whenDeleted, "Retain");
        assert.ok(!withClaim.template.spec.volumes.some((v: any) => v.name === "data"));
        const ephemeral = statefulStoreSpec(base) as any;
        assert.strictEqual(ephemeral.volumeClaimTemplates, undefined);
        assert.deepStrictEqual(
            ephemeral.template.spec.volumes.find((v: any) => v.name === "data"),
            { name: "data", emptyDir: { sizeLimit: "256Mi" } },
        );
    });
});

describe("namespace limits", () => {
    it("caps each container at CONTAINER_MAX, the bound config holds resources to", () => {
        assert.deepStrictEqual((limitRangeSpec().limits as any[])[0].max, CONTAINER_MAX);
    });
});
