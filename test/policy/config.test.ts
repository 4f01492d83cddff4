import * as assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { compliantPodSpec, wrapPod } from "../../policy/fixtures";
import { configProblems, PolicyConfigError } from "../../policy/lib/config";
import { configSchemaFor, type Rule } from "../../policy/lib/rule";
import { rules } from "../../policy/policies";
import { asResource, POLICY_DIR, runPack, runPolicy } from "../../harness/policy-host";

const LEVELS = ["advisory", "mandatory", "remediate", "disabled"];
function ruleNamed(name: string): Rule {
    const rule = rules.find((r) => r.metadata.name === name);
    if (!rule) {
        throw new Error(`the catalogue has no rule ${name}`);
    }
    return rule;
}

/** What `pulumi preview --policy-pack-config` checks before running the pack: names, levels, settings. */
function packConfigProblems(config: Record<string, unknown>): string[] {
    const problems: string[] = [];
    for (const [name, entry] of Object.entries(config)) {
        if (name === "all") {
            if (typeof entry !== "string" || !LEVELS.includes(entry)) {
                problems.push(`all must be an enforcement level (got ${JSON.stringify(entry)})`);
            }
            continue;
        }
        const rule = rules.find((r) => r.metadata.name === name);
        if (!rule) {
            problems.push(`${name} is not a policy of the pack`);
            continue;
        }
        const settings = typeof entry === "string" ? { enforcementLevel: entry } : (entry as Record<string, unknown>);
        if (settings.enforcementLevel !== undefined && !LEVELS.includes(String(settings.enforcementLevel))) {
            problems.push(`${name}.enforcementLevel must be one of ${LEVELS.join(", ")}`);
        }
        if (settings.enforcementLevel === "remediate" && !rule.remediates) {
            problems.push(`${name} cannot remediate`);
        }
        problems.push(...configProblems(name, configSchemaFor(rule.metadata), settings));
    }
    return problems;
}

describe("policy configuration", () => {
    for (const stack of ["dev", "prod", "baseline"]) {
        it(`ships policy/config/${stack}.json valid against every policy's schema`, () => {
            const config = JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "config", `${stack}.json`), "utf8"));
            assert.deepStrictEqual(packConfigProblems(config), []);
        });
    }

    it("selects the baseline profile per policy, silencing restricted-only controls", async () => {
        const spec = compliantPodSpec();
        delete spec.securityContext.runAsNonRoot;
        delete spec.containers[0].securityContext.runAsNonRoot;
        const resource = asResource(wrapPod("Deployment", { spec }));
        const rule = ruleNamed("pss-run-as-non-root");
        assert.strictEqual((await runPolicy(rule.policy, [resource])).length, 1);
        assert.strictEqual((await runPolicy(rule.policy, [resource], { profile: "baseline" })).length, 0);
    });

    it("skips a policy whose enforcement level is disabled", async () => {
        // A template, not a Pod: the API server turns a host-networked Pod's ports into host ports (pss-host-ports).
        const spec = { ...compliantPodSpec(), hostNetwork: true };
        const resources = [asResource(wrapPod("Deployment", { spec }))];
        const config = { "pss-host-namespaces": "disabled", "network-policy-coverage": "disabled", "network-default-deny": "disabled" };
        assert.deepStrictEqual(await runPack(resources, config), []);
    });

    it("rejects a bad config with one error naming each policy key, the value and the fix", async () => {
        const rule = ruleNamed("minimum-replicas");
        const error = await runPolicy(rule.policy, [], {
            minReplicas: 0,
            kinds: "Deployment",
            exemptions: [{ name: "postgres" }, { name: "redis", reason: "" }],
            minReplica: 2,
        }).then(
            () => undefined,
            (e: unknown) => e,
        );
        assert.ok(error instanceof PolicyConfigError, String(error));
        assert.deepStrictEqual(error.problems, [
            "minimum-replicas.minReplica must be one of this policy's settings (exemptions, minReplicas, kinds) (got 2). Remove it " +
                "or correct the spelling.",
            "minimum-replicas.exemptions[0].reason must be set (got nothing). Fix it in the policy config file passed with " +
                "--policy-pack-config.",
            'minimum-replicas.exemptions[1].reason must be at least 10 characters (got ""). Fix it in the policy config file passed ' +
                "with --policy-pack-config.",
            "minimum-replicas.minReplicas must be ≥ 1 (got 0). Fix it in the policy config file passed with --policy-pack-config.",
            'minimum-replicas.kinds must be an array (got "Deployment"). Fix it in the policy config file passed with ' +
                "--policy-pack-config.",
        ]);
        assert.match(error.message, /^invalid policy configuration:\n/);
    });

    it("rejects a registry allowlist entry that is not a registry name", () => {
        const rule = ruleNamed("allowed-registries");
        assert.deepStrictEqual(configProblems(rule.metadata.name, configSchemaFor(rule.metadata), { registries: ["https://docker.io"] }), [
            'allowed-registries.registries[0] must match ^[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)*/?$ (got "https://docker.io"). Fix it ' +
                "in the policy config file passed with --policy-pack-config.",
        ]);
    });

    it("rejects an unknown policy name or an impossible level in a pack config", () => {
        assert.deepStrictEqual(packConfigProblems({ "pss-privilege": "mandatory", "health-probes": "remediate", all: "strict" }), [
            "pss-privilege is not a policy of the pack",
            "health-probes cannot remediate",
            'all must be an enforcement level (got "strict")',
        ]);
    });
});
