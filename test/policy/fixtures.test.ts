import * as assert from "node:assert";
import { fixtures, type Fixture, wrapPod } from "../../policy/fixtures";
import { POD_CARRYING_KINDS } from "../../policy/lib/pod-spec";
import { rules } from "../../policy/policies";
import { asResource, type Resource, runPolicy } from "../../harness/policy-host";

/** The resources a case stands for: a pod case once per pod-carrying kind, other cases as declared. */
export function caseResources(fixture: Fixture): { kind: string; resources: Resource[] }[] {
    const bare = fixture.pod;
    if (bare) {
        return POD_CARRYING_KINDS.filter((kind) => fixture.onlyIn?.includes(kind) ?? true).map((kind) => ({
            kind,
            resources: [asResource(wrapPod(kind, structuredClone(bare)))],
        }));
    }
    return [{ kind: "stack", resources: (fixture.objects ?? []).map((object) => asResource(object)) }];
}

for (const rule of rules) {
    describe(`policy ${rule.metadata.name}`, () => {
        for (const [caseName, fixture] of Object.entries(fixtures[rule.metadata.name] ?? {})) {
            for (const { kind, resources } of caseResources(fixture)) {
                const expectFail = caseName.startsWith("fail.") && !(fixture.passesOn ?? []).includes(kind);
                it(`${expectFail ? "reports" : "accepts"} ${caseName}${fixture.pod ? ` in a ${kind}` : ""}`, async () => {
                    const violations = await runPolicy(rule.policy, resources, fixture.config);
                    if (expectFail) {
                        assert.ok(violations.length > 0, `expected a violation of ${rule.metadata.name}`);
                        for (const violation of violations) {
                            assert.doesNotMatch(violation.message, /undefined|\[object Object\]/, violation.message);
                        }
                    } else {
                        assert.deepStrictEqual(
                            violations.map((v) => v.message),
                            [],
                        );
                    }
                });
            }
        }
    });
}
