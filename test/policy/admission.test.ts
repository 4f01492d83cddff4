import * as assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { CEL_CHECKS } from "../../policy/admission/cel-checks";
import { admissionPolicies, enforcementSites, MAX_PREFIX_LENGTH } from "../../policy/admission/generate";
import type { K8sObject } from "../../policy/fixtures";
import { rules } from "../../policy/policies";
import { POLICY_DIR } from "../../harness/policy-host";

const byKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
const binding = (objects: K8sObject[], rule: string) =>
    byKind(objects, "ValidatingAdmissionPolicyBinding").find((o) => o.metadata.labels["policy.blog.example/rule"] === rule);

describe("ValidatingAdmissionPolicies generated from the catalogue (policy/admission)", () => {
    it("cover only single-object rules of the catalogue", () => {
        for (const name of Object.keys(CEL_CHECKS)) {
            const rule = rules.find((r) => r.metadata.name === name);
            assert.ok(rule, `${name} is not in the catalogue`);
            assert.notStrictEqual(rule.scope, "stack", `${name} needs the whole stack`);
        }
    });

    it("bind each policy to the namespaces at the pack's level: mandatory denies, advisory warns and audits, disabled is absent", () => {
        const objects = admissionPolicies({
            namespaces: ["blog-prod"],
            prefix: "blog-prod",
            packConfig: { all: "mandatory", "read-only-root-filesystem": "advisory", "service-exposure": { enforcementLevel: "disabled" } },
        });
        assert.deepStrictEqual(binding(objects, "pss-privileged")?.spec.validationActions, ["Deny"]);
        assert.deepStrictEqual(binding(objects, "read-only-root-filesystem")?.spec.validationActions, ["Warn", "Audit"]);
        assert.strictEqual(binding(objects, "service-exposure"), undefined);
        assert.deepStrictEqual(binding(objects, "pss-privileged")?.spec.matchResources.namespaceSelector.matchExpressions[0].values, [
            "blog-prod",
        ]);
        assert.strictEqual(byKind(objects, "ValidatingAdmissionPolicy").length, byKind(objects, "ValidatingAdmissionPolicyBinding").length);
    });

    it("turn the pack config's exemptions into a match condition on name and kind", () => {
        const objects = admissionPolicies({
            namespaces: ["apps"],
            prefix: "apps",
            packConfig: {
                "pss-run-as-user": {
                    exemptions: [{ name: "legacy", kind: "StatefulSet", reason: "Runs as root until its image is rebuilt." }],
                },
            },
        });
        const policy = byKind(objects, "ValidatingAdmissionPolicy").find(
            (o) => o.metadata.labels["policy.blog.example/rule"] === "pss-run-as-user",
        );
        assert.ok(policy, "no ValidatingAdmissionPolicy for pss-run-as-user");
        assert.deepStrictEqual(policy.spec.matchConditions, [
            { name: "not-exempt", expression: "!(object.metadata.name == 'legacy' && object.kind == 'StatefulSet')" },
        ]);
    });

    it("are named per owner, so two stacks in one cluster (blog-dev, blog-prod) keep apart policies and bindings", () => {
        const dev = admissionPolicies({ namespaces: ["blog-dev"], prefix: "blog-dev" });
        const prod = admissionPolicies({ namespaces: ["blog-prod"], prefix: "blog-prod" });
        const names = (objects: K8sObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);
        assert.deepStrictEqual(
            names(dev).filter((n) => names(prod).includes(n)),
            [],
        );
        for (const [owner, objects] of [
            ["blog-dev", dev],
            ["blog-prod", prod],
        ] as const) {
            const policies = new Set(byKind(objects, "ValidatingAdmissionPolicy").map((p) => p.metadata.name));
            for (const b of byKind(objects, "ValidatingAdmissionPolicyBinding")) {
                assert.ok(policies.has(b.spec.policyName), `${owner}'s binding ${b.metadata.name} names another owner's policy`);
            }
            assert.ok(objects.every((o) => o.metadata.labels["app.kubernetes.io/part-of"] === owner));
        }
    });

    it("keep every name a DNS subdomain of at most 253 characters and every label value within 63, for the longest prefix", () => {
        const longest = "a".repeat(MAX_PREFIX_LENGTH);
        const objects = admissionPolicies({ namespaces: [longest], prefix: longest });
        assert.ok(objects.length > 0);
        const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
        const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
        for (const o of objects) {
            assert.ok(o.metadata.name.length <= 253 && subdomain.test(o.metadata.name), o.metadata.name);
            for (const value of Object.values<string>(o.metadata.labels)) {
                assert.ok(value.length <= 63 && labelValue.test(value), `${o.metadata.name}: label value ${value}`);
            }
        }
    });

    it("refuse a prefix that is not a DNS label, naming it, before generating anything", () => {
        for (const bad of ["", "Blog-Dev", "blog_dev", "blog.dev", "-blog", "x".repeat(MAX_PREFIX_LENGTH + 1)]) {
            assert.throws(
                () => admissionPolicies({ namespaces: ["apps"], prefix: bad }),
                (error: Error) => error.message.includes(`(got ${JSON.stringify(bad)})`) && error.message.includes("DNS label"),
                bad,
            );
        }
    });

    it("are listed in docs/policy.md as the rules enforced in the cluster too", () => {
        const docs = fs.readFileSync(path.join(POLICY_DIR, "..", "docs", "policy.md"), "utf8");
        const section = docs.split("<!-- admission:begin -->")[1]?.split("<!-- admission:end -->")[0] ?? "";
        const listed = [...section.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]).sort();
        assert.deepStrictEqual(
            listed,
            enforcementSites()
                .filter((s) => s.where === "cluster and pack")
                .map((s) => s.rule)
                .sort(),
        );
    });
});
