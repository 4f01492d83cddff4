import * as assert from "assert";
import { fixtures } from "../../policy/fixtures";
import { rules } from "../../policy/policies";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { caseResources } from "./fixtures.test";
import { remediateResource, unknownValue, validateResource } from "./harness";
import { asResource } from "./harness";
import { compliantPodSpec, wrapPod } from "../../policy/fixtures";

const remediating = rules.filter((rule) => rule.remediates);

describe("remediation", () => {
    it("is offered by exactly the rules whose fix is safe without a human decision", () => {
        assert.deepStrictEqual(remediating.map((r) => r.metadata.name).sort(), [
            "automount-service-account-token", "pss-allow-privilege-escalation", "pss-capabilities-restricted", "pss-seccomp-restricted",
        ]);
    });

    for (const rule of remediating) {
        const policy = rule.policy as ResourceValidationPolicy;
        describe(rule.metadata.name, () => {
            for (const [caseName, fixture] of Object.entries(fixtures[rule.metadata.name])) {
                for (const { kind, resources } of caseResources(fixture)) {
                    it(`${caseName}${fixture.pod ? ` in a ${kind}` : ""}: leaves nothing it can fix, and changes nothing that passes`, async () => {
                        for (const resource of resources) {
                            const before = await validateResource(policy, resource, fixture.config);
                            const remediated = await remediateResource(policy, resource, fixture.config);
                            if (before.length === 0) {
                                assert.strictEqual(remediated, undefined, "a passing resource must come back untouched");
                                continue;
                            }
                            const after = remediated ? await validateResource(policy, { ...resource, props: remediated }, fixture.config) : before;
                            // Explicit opposite choices (allowPrivilegeEscalation: true, an added capability, Unconfined) are left for a human.
                            const explicitChoice = /escalation-true|adds-|unconfined/.test(caseName);
                            if (explicitChoice) {
                                assert.ok(after.length > 0, "an explicit choice is reported, not overwritten");
                            } else {
                                assert.deepStrictEqual(after.map((v) => v.message), []);
                            }
                        }
                    });
                }
            }
        });
    }

    it("sets allowPrivilegeEscalation: false only where it is missing and the container is not privileged", async () => {
        const spec = compliantPodSpec();
        delete spec.containers[0].securityContext.allowPrivilegeEscalation;
        spec.containers.push({ ...structuredClone(spec.containers[0]), name: "privileged", securityContext: { privileged: true } });
        const policy = rules.find((r) => r.metadata.name === "pss-allow-privilege-escalation")!.policy as ResourceValidationPolicy;
        const remediated = await remediateResource(policy, asResource(wrapPod("Deployment", { spec })));
        const containers = remediated!.spec.template.spec.containers;
        assert.strictEqual(containers[0].securityContext.allowPrivilegeEscalation, false);
        assert.strictEqual(containers[1].securityContext.allowPrivilegeEscalation, undefined, "the API rejects false with privileged: true");
    });

    it("keeps the rest of the resource and adds ALL to an existing drop list", async () => {
        const spec = compliantPodSpec();
        spec.containers[0].securityContext.capabilities = { drop: ["NET_RAW"] };
        const policy = rules.find((r) => r.metadata.name === "pss-capabilities-restricted")!.policy as ResourceValidationPolicy;
        const resource = asResource(wrapPod("CronJob", { spec }));
        const remediated = await remediateResource(policy, resource);
        const expected = structuredClone(resource.props);
        expected.spec.jobTemplate.spec.template.spec.containers[0].securityContext.capabilities.drop = ["NET_RAW", "ALL"];
        assert.deepStrictEqual(remediated, expected);
    });

    it("skips a change whose path is not known during preview instead of failing", async () => {
        const spec = compliantPodSpec();
        delete spec.securityContext.seccompProfile;
        const resource = asResource(wrapPod("Deployment", { spec }));
        resource.props.spec.template.spec.securityContext = unknownValue.object;
        const policy = rules.find((r) => r.metadata.name === "pss-seccomp-restricted")!.policy as ResourceValidationPolicy;
        assert.strictEqual(await remediateResource(policy, resource), undefined);
    });
});
