import * as assert from "node:assert";
import { type Fixture, fixtures, NAMESPACE, wrapPod } from "../../policy/fixtures";
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
                const where = fixture.pod ? ` in a ${kind}` : "";
                it(`${expectFail ? "reports exactly its messages for" : "accepts"} ${caseName}${where}`, async () => {
                    const violations = await runPolicy(rule.policy, resources, fixture.config);
                    const expected = expectFail
                        ? (fixture.reports ?? []).map((message) => (fixture.pod ? `${kind} ${NAMESPACE}/fixture: ${message}` : message))
                        : [];
                    assert.deepStrictEqual(
                        violations.map((v) => v.message),
                        expected,
                    );
                });
            }
        }
    });
}
