// Secret rotation in the specs: a new secretsRotation gives new credential hashes, the pods that read or
// trust a credential carry its hash (so they roll), and Postgres applies the Secret's password before every start.
import * as assert from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { parseConfig } from "../../config";
import { credentialsUsedBy } from "../../components/platform";
import { PASSWORD_SYNC_SCRIPT, PASSWORD_SYNC_STEP } from "../../components/postgres/password-sync";
import { createGeneratedSecret, generatorOptions } from "../../components/shared/generated-secret";
import { SERVICE_NAMES, type ServiceName, type WorkloadName } from "../../components/shared/topology";
import { SECRETS_CHECKSUM_ANNOTATION } from "../../components/shared/workload";
import { buildStack } from "../../stack";
import { ofType, type RecordedResource, recordResources } from "../helpers/mocks";
import { stackConfig } from "../helpers/stack-config";

/** Mocks whose generated values follow the rotation keeper, as the real RandomPassword's do. */
class KeeperMocks implements pulumi.runtime.Mocks {
    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
        const state: Record<string, unknown> = { ...args.inputs };
        if (args.type === "random:index/randomPassword:RandomPassword") {
            state.result = `value-of-${args.name}-at-${args.inputs.keepers.rotation}`;
        }
        return { id: `${args.name}-id`, state };
    }
    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        throw new Error(`unexpected call ${args.token}`);
    }
}

async function checksumAt(rotation: string): Promise<{ checksum: string; isSecret: boolean }> {
    await pulumi.runtime.setMocks(new KeeperMocks(), "blog", "test", false);
    const result = createGeneratedSecret(
        "db-credentials",
        { namespace: "blog", secretName: "db-credentials", generated: { password: 32 }, rotation, component: "datastore" },
        {},
    );
    const checksum = await new Promise<string>((resolve) => result.checksum.apply(resolve));
    return { checksum, isSecret: await pulumi.isSecret(result.checksum) };
}

const templateOf = (resources: RecordedResource[], kind: string, name: string) =>
    ofType(resources, kind).find((r) => r.inputs.metadata.name === name)?.inputs.spec.template;

describe("generated secrets under rotation", () => {
    it("give a new checksum for a new rotation keeper and the same one for the same keeper", async () => {
        const first = await checksumAt("rotated-1");
        const again = await checksumAt("rotated-1");
        const second = await checksumAt("rotated-2");
        assert.match(first.checksum, /^[0-9a-f]{16}$/);
        assert.strictEqual(again.checksum, first.checksum);
        assert.notStrictEqual(second.checksum, first.checksum);
    });

    it("expose the checksum as a plain output, so pod specs that carry it stay readable in diffs", async () => {
        assert.strictEqual((await checksumAt("rotated-1")).isSecret, false);
    });

    it("leave the generators unprotected, so a rotation can replace them even when the Secret is protected", () => {
        const parent = {} as pulumi.Resource;
        assert.deepStrictEqual(generatorOptions({ parent, protect: true, retainOnDelete: true }), { parent });
    });
});

describe("which credentials roll which service", () => {
    it("lists each service's own key, its data stores' passwords, the keys it reads and auth's key when it verifies tokens", () => {
        const expected: Partial<Record<ServiceName, WorkloadName[]>> = {
            gateway: [],
            frontend: [],
            auth: ["auth", "postgres", "redis"],
            blog: ["postgres", "redis", "auth", "image"],
            comment: ["postgres", "auth"],
            image: ["image", "postgres", "auth"],
        };
        for (const [service, credentials] of Object.entries(expected)) {
            assert.deepStrictEqual(credentialsUsedBy(service as ServiceName), credentials, service);
        }
    });
});

describe("the platform's pods under a rotation (dev stack, under mocks)", () => {
    let resources: RecordedResource[];
    before(async () => {
        ({ resources } = await recordResources(() => buildStack(parseConfig(stackConfig("dev")))));
    });

    it("annotates every pod that reads or trusts a generated credential with their hash, and no other", () => {
        const annotated = (kind: string, name: string) =>
            templateOf(resources, kind, name)?.metadata.annotations?.[SECRETS_CHECKSUM_ANNOTATION];
        for (const store of ["postgres", "redis"]) {
            assert.match(String(annotated("StatefulSet", store)), /^[0-9a-f]{16}$/, store);
        }
        for (const service of SERVICE_NAMES) {
            const expected = credentialsUsedBy(service).length > 0;
            assert.strictEqual(annotated("Deployment", service) !== undefined, expected, service);
        }
        const hashes = ["auth", "blog", "comment", "image"].map((service) => annotated("Deployment", service));
        assert.strictEqual(new Set(hashes).size, hashes.length, "services using different credentials share a hash");
    });

    it("runs the sync-password step before Postgres starts, on its data volume, with the password from the Secret", () => {
        const pod = templateOf(resources, "StatefulSet", "postgres").spec;
        assert.deepStrictEqual(
            pod.initContainers.map((c: { name: string }) => c.name),
            [PASSWORD_SYNC_STEP],
        );
        const [step] = pod.initContainers;
        const [store] = pod.containers;
        assert.strictEqual(step.image, store.image);
        assert.deepStrictEqual(step.command, ["bash", "-c", PASSWORD_SYNC_SCRIPT]);
        assert.strictEqual(step.args, undefined);
        const password = step.env.find((e: { name: string }) => e.name === "POSTGRES_PASSWORD");
        assert.deepStrictEqual(password.valueFrom.secretKeyRef, { name: "postgres-credentials", key: "password" });
        const pgdata = (c: { env: { name: string; value?: string }[] }) => c.env.find((e) => e.name === "PGDATA")?.value;
        assert.strictEqual(pgdata(step), pgdata(store));
        const mountsOf = (c: { volumeMounts: { name: string; mountPath: string }[] }) =>
            c.volumeMounts.map((m) => `${m.name}:${m.mountPath}`).sort();
        assert.deepStrictEqual(mountsOf(step), mountsOf(store));
        assert.strictEqual(step.securityContext.allowPrivilegeEscalation, false);
        assert.deepStrictEqual(step.securityContext.capabilities, { drop: ["ALL"] });
    });

    it("gives Redis no setup step: it reads --requirepass from the Secret at every start", () => {
        assert.strictEqual(templateOf(resources, "StatefulSet", "redis").spec.initContainers, undefined);
    });
});
