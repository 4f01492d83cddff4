import * as assert from "node:assert";
import { rules } from "../../policy/policies";
import { type Resource, runPack } from "../../harness/policy-host";
import { packConfig, platformResources } from "../../harness/platform";
import { PENDING_COMPONENT_WORK, withoutPending } from "./platform-resources";

for (const stack of ["dev", "prod"] as const) {
    describe(`the policy pack on the platform's ${stack} stack`, () => {
        let resources: Resource[];
        before(async () => {
            resources = await platformResources(stack);
        });

        it("registers Kubernetes workloads for the pack to check", () => {
            assert.ok(resources.filter((r) => r.type === "kubernetes:apps/v1:Deployment").length >= 6);
        });

        it(`reports no violation with policy/config/${stack}.json`, async () => {
            const violations = withoutPending(await runPack(resources, packConfig(stack)));
            assert.deepStrictEqual(
                violations.map((v) => `${v.policy}: ${v.message}`),
                [],
            );
        });

        it(`has no mandatory violation at policy/config/${stack}.json's levels (pending ones too): the CLI's preview passes`, async () => {
            const config = packConfig(stack);
            const levelOf = (policy: string) => {
                const entry = config[policy];
                const own = typeof entry === "string" ? entry : (entry as { enforcementLevel?: string } | undefined)?.enforcementLevel;
                return (
                    own ??
                    (typeof config.all === "string" ? config.all : undefined) ??
                    rules.find((r) => r.metadata.name === policy)?.policy.enforcementLevel
                );
            };
            const blocking = (await runPack(resources, config)).filter(
                (v) => levelOf(v.policy) === "mandatory" || levelOf(v.policy) === "remediate",
            );
            assert.deepStrictEqual(
                blocking.map((v) => `${v.policy}: ${v.message}`),
                [],
            );
        });

        it("reports no violation under the pack's defaults", async () => {
            const violations = withoutPending(await runPack(resources, {}));
            assert.deepStrictEqual(
                violations.map((v) => `${v.policy}: ${v.message}`),
                [],
            );
        });

        for (const [policy, why] of Object.entries(PENDING_COMPONENT_WORK)) {
            it(`still reports ${policy} on every long-running workload, because ${why}`, async () => {
                const violations = (await runPack(resources, {})).filter((v) => v.policy === policy);
                const workloads = resources
                    .filter((r) => /:(Deployment|StatefulSet|DaemonSet)$/.test(r.type))
                    .map((r) => r.props.metadata.name);
                const reported = new Set(
                    violations.map((v) => workloads.find((name) => v.message.includes(`/${name}:`) || v.message.includes(` ${name}:`))),
                );
                assert.deepStrictEqual([...reported].sort(), [...new Set(workloads)].sort());
            });
        }
    });
}

describe("the policy pack on a broken copy of the platform's prod stack", () => {
    let resources: Resource[];
    before(async () => {
        resources = await platformResources("prod");
    });

    it("holds the single-instance workloads below the prod replica minimum only through their reviewed exemptions", async () => {
        const config = packConfig("prod");
        delete (config["minimum-replicas"] as Record<string, unknown>).exemptions;
        const violations = await runPack(resources, config);
        assert.deepStrictEqual(violations.map((v) => v.message).sort(), [
            "Deployment blog-prod-monitoring/alertmanager: it runs 1, below the minimum of 2. Raise it to 2, or exempt it with a reason.",
            "Deployment blog-prod-monitoring/grafana: it runs 1, below the minimum of 2. Raise it to 2, or exempt it with a reason.",
            "Deployment blog-prod-monitoring/kube-state-metrics: it runs 1, below the minimum of 2. Raise it to 2, or exempt it with " +
                "a reason.",
            "StatefulSet blog-prod-monitoring/prometheus: it runs 1, below the minimum of 2. Raise it to 2, or exempt it with a reason.",
            "StatefulSet blog-prod/postgres: it runs 1, below the minimum of 2. Raise it to 2, or exempt it with a reason.",
            "StatefulSet blog-prod/redis: it runs 1, below the minimum of 2. Raise it to 2, or exempt it with a reason.",
        ]);
    });

    it("notices a missing default deny, disruption budget or hardening", async () => {
        const broken = structuredClone(resources).filter((r) => r.name !== "platform-default-deny" && r.name !== "auth-pdb");
        const blog = broken.find((r) => r.name === "blog-deployment");
        assert.ok(blog, "the platform has no blog-deployment");
        delete blog.props.spec.template.spec.securityContext.seccompProfile;
        delete blog.props.spec.template.spec.containers[0].securityContext.seccompProfile;
        const policies = new Set((await runPack(broken, packConfig("prod"))).map((v) => v.policy));
        assert.deepStrictEqual([...policies].sort(), ["network-default-deny", "pod-disruption-budget", "pss-seccomp-restricted"]);
    });
});
