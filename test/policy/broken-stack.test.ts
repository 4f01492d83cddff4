import * as assert from "node:assert";
import type { K8sObject } from "../../policy/fixtures";
import { EXPECTED_VIOLATIONS, exposedService, privilegedPod } from "./broken-stack/objects";
import { asResource, runPack } from "../../harness/policy-host";

describe("the deliberately broken fixture program (test/policy/broken-stack)", () => {
    it("violates exactly the policies its CLI test expects", async () => {
        const objects = [privilegedPod, exposedService] as K8sObject[];
        const violations = await runPack(objects.map((o) => asResource(o, `broken-${String(o.kind).toLowerCase()}`)));
        assert.deepStrictEqual([...new Set(violations.map((v) => v.policy))].sort(), EXPECTED_VIOLATIONS);
    });
});
