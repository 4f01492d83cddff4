// blog:admissionPolicies: buildStack deploys the pack's CEL rules as admission policies bound to the
// stack's namespaces, at the levels of the environment's pack config, and nothing when it is off.
import * as assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseConfig } from "../../config";
import { admissionArgs, buildStack } from "../../stack";
import { CEL_CHECKS } from "../../policy/admission/cel-checks";
import { ofType, recordResources } from "../helpers/mocks";
import { REPO_ROOT, stackConfig } from "../helpers/stack-config";

const build = (stack: "dev" | "prod", overrides: Record<string, unknown> = {}) =>
    recordResources(() => buildStack(parseConfig(stackConfig(stack, overrides)))).then((r) => r.resources);

describe("admission policies (blog:admissionPolicies)", () => {
    it("deploys none in dev, where the key is off", async () => {
        const resources = await build("dev");
        assert.deepStrictEqual(ofType(resources, "ValidatingAdmissionPolicy"), []);
        assert.deepStrictEqual(ofType(resources, "ValidatingAdmissionPolicyBinding"), []);
    });

    it("deploys in prod one denying policy and binding per CEL rule, bound to the platform's and monitoring's namespaces", async () => {
        const cfg = parseConfig(stackConfig("prod"));
        assert.strictEqual(cfg.admissionPolicies, true);
        const resources = await build("prod");
        const policies = ofType(resources, "ValidatingAdmissionPolicy");
        const bindings = ofType(resources, "ValidatingAdmissionPolicyBinding");
        const prefixed = (rule: string) => `${cfg.namespace}.${rule}`;
        assert.deepStrictEqual(policies.map((p) => p.inputs.metadata.name).sort(), Object.keys(CEL_CHECKS).map(prefixed).sort());
        assert.deepStrictEqual(
            policies.map((p) => p.name).sort(),
            Object.keys(CEL_CHECKS)
                .map((r) => `admission-${r}`)
                .sort(),
        );
        assert.strictEqual(bindings.length, policies.length);
        for (const binding of bindings) {
            assert.ok(
                policies.some((p) => p.inputs.metadata.name === binding.inputs.spec.policyName),
                binding.name,
            );
            // prod.json makes every rule mandatory: the API server must deny, not warn.
            assert.deepStrictEqual(binding.inputs.spec.validationActions, ["Deny"], binding.name);
            assert.deepStrictEqual(binding.inputs.spec.matchResources.namespaceSelector.matchExpressions[0].values, [
                cfg.namespace,
                cfg.monitoring.namespace,
            ]);
        }
    });

    it("reads the environment's own pack config, dev.json for dev and prod.json for prod", () => {
        const onDisk = (file: string) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "policy", "config", file), "utf8"));
        const dev = admissionArgs(parseConfig(stackConfig("dev", { "blog:admissionPolicies": "true" })));
        const prod = admissionArgs(parseConfig(stackConfig("prod")));
        assert.deepStrictEqual(dev.packConfig, onDisk("dev.json"));
        assert.deepStrictEqual(prod.packConfig, onDisk("prod.json"));
        assert.notDeepStrictEqual(dev.packConfig, prod.packConfig);
    });

    it("names dev's and prod's policies and bindings apart, so both stacks fit in one cluster", async () => {
        const names = async (stack: "dev" | "prod") =>
            (await build(stack, { "blog:admissionPolicies": "true" }))
                .filter((r) => r.type.includes("ValidatingAdmissionPolicy"))
                .map((r) => `${r.type}/${r.inputs.metadata.name}`);
        const [dev, prod] = [await names("dev"), await names("prod")];
        assert.strictEqual(dev.length, 2 * Object.keys(CEL_CHECKS).length);
        assert.strictEqual(prod.length, dev.length);
        assert.deepStrictEqual(
            dev.filter((n) => prod.includes(n)),
            [],
        );
    });

    it("binds dev's policies to dev's namespaces when the key is turned on there", async () => {
        const cfg = parseConfig(stackConfig("dev", { "blog:admissionPolicies": "true" }));
        const namespaces = cfg.monitoring.enabled ? [cfg.namespace, cfg.monitoring.namespace] : [cfg.namespace];
        const resources = await build("dev", { "blog:admissionPolicies": "true" });
        const bindings = ofType(resources, "ValidatingAdmissionPolicyBinding");
        assert.strictEqual(bindings.length, Object.keys(CEL_CHECKS).length);
        for (const binding of bindings) {
            assert.deepStrictEqual(binding.inputs.spec.matchResources.namespaceSelector.matchExpressions[0].values, namespaces);
        }
    });
});
