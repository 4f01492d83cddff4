import * as assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import type { PolicyConfigJSONSchemaDefinition } from "@pulumi/policy/schema";
import { CEL_CHECKS } from "../../policy/admission/cel-checks";
import { fixtures } from "../../policy/fixtures";
import { configProblems, SUPPORTED_KEYWORDS } from "../../policy/lib/config";
import { UPSTREAM_CHECKS } from "../../policy/lib/pss-checks";
import { configSchemaFor } from "../../policy/lib/rule";
import { policies, rules } from "../../policy/policies";

const RULES_DIR = path.join(__dirname, "..", "..", "policy", "rules");
const SENTENCES = /^[A-Z0-9][\s\S]*[.)]$/;

function keywords(schema: PolicyConfigJSONSchemaDefinition, path: string): string[] {
    if (typeof schema !== "object") {
        return [];
    }
    const own = Object.keys(schema)
        .filter((k) => !SUPPORTED_KEYWORDS.has(k))
        .map((k) => `${path}.${k}`);
    const nested = [
        ...Object.entries(schema.properties ?? {}).flatMap(([k, s]) => keywords(s, `${path}.${k}`)),
        ...(schema.items && !Array.isArray(schema.items) ? keywords(schema.items, `${path}[]`) : []),
    ];
    return [...own, ...nested];
}

describe("the policy catalogue", () => {
    it("hands the PolicyPack one policy per rule, with unique kebab-case names", () => {
        assert.strictEqual(policies.length, rules.length);
        const names = rules.map((r) => r.metadata.name);
        assert.strictEqual(new Set(names).size, names.length);
        for (const name of names) {
            assert.match(name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
        }
    });

    it("covers every check of pod-security-admission v0.37 (Kubernetes v1.37), one policy each", () => {
        const byProfile = (profile: string) =>
            rules
                .filter((r) => r.metadata.pss === profile)
                .map((r) => r.metadata.name)
                .sort();
        assert.deepStrictEqual(byProfile("baseline"), [
            "pss-app-armor",
            "pss-capabilities-baseline",
            "pss-host-namespaces",
            "pss-host-path-volumes",
            "pss-host-ports",
            "pss-host-probes",
            "pss-host-process",
            "pss-privileged",
            "pss-proc-mount",
            "pss-seccomp-baseline",
            "pss-selinux",
            "pss-sysctls",
        ]);
        assert.deepStrictEqual(byProfile("restricted"), [
            "pss-allow-privilege-escalation",
            "pss-capabilities-restricted",
            "pss-proc-mount-restricted",
            "pss-run-as-non-root",
            "pss-run-as-user",
            "pss-seccomp-restricted",
            "pss-volume-types",
        ]);
        for (const rule of rules) {
            assert.strictEqual(rule.metadata.name.startsWith("pss-"), rule.metadata.pss !== undefined, rule.metadata.name);
        }
        const checks = rules
            .map((r) => r.metadata.pssCheck)
            .filter((id) => id !== undefined)
            .sort();
        assert.deepStrictEqual(checks, Object.keys(UPSTREAM_CHECKS).sort());
        for (const rule of rules) {
            const check = rule.metadata.pssCheck;
            if (check !== undefined) {
                assert.strictEqual(rule.metadata.pss, UPSTREAM_CHECKS[check].level, rule.metadata.name);
            }
        }
    });

    for (const rule of rules) {
        const { metadata, policy } = rule;
        describe(metadata.name, () => {
            it("has a title, a severity, and a description and remediation written as sentences", () => {
                assert.ok(metadata.title.length > 0);
                assert.ok(["low", "medium", "high", "critical"].includes(metadata.severity));
                assert.match(metadata.description, SENTENCES);
                assert.match(metadata.remediation, SENTENCES);
                assert.doesNotMatch(`${metadata.description} ${metadata.remediation}`, /TODO|undefined/);
            });

            it("registers exactly its metadata with the pack, mandatory unless it says otherwise", () => {
                assert.strictEqual(policy.description, metadata.description);
                assert.strictEqual(policy.remediationSteps, metadata.remediation);
                assert.strictEqual(policy.severity, metadata.severity);
                assert.strictEqual(policy.displayName, metadata.title);
                assert.strictEqual(policy.enforcementLevel, metadata.enforcementLevel ?? "mandatory");
                assert.strictEqual("remediateResource" in policy && policy.remediateResource !== undefined, rule.remediates);
            });

            it("has at least one passing and one failing fixture, each named for its case", () => {
                const cases = Object.keys(fixtures[metadata.name] ?? {});
                assert.ok(
                    cases.some((c) => c.startsWith("pass.")),
                    "no pass fixture",
                );
                assert.ok(
                    cases.some((c) => c.startsWith("fail.")),
                    "no fail fixture",
                );
                for (const name of cases) {
                    assert.match(name, /^(pass|fail)\.[a-z0-9]+(-[a-z0-9]+)*$/);
                }
            });

            it("names the exact messages each failing fixture reports, and none for a passing one", () => {
                for (const [name, fixture] of Object.entries(fixtures[metadata.name] ?? {})) {
                    const reports = fixture.reports ?? [];
                    if (name.startsWith("fail.")) {
                        assert.ok(reports.length > 0, `${name} names no message`);
                    } else {
                        assert.deepStrictEqual(reports, [], name);
                    }
                    for (const message of reports) {
                        assert.doesNotMatch(message, /undefined|\[object Object\]/, `${name}: ${message}`);
                    }
                }
            });

            if (rule.scope === "pod-spec") {
                it("is tested through every workload kind: all its fixtures are bare pods", () => {
                    for (const [name, fixture] of Object.entries(fixtures[metadata.name] ?? {})) {
                        assert.ok(fixture.pod && !fixture.objects, name);
                    }
                });
            }

            it("declares its config with the JSON-schema subset the pack validates, and valid defaults", () => {
                const schema = configSchemaFor(metadata);
                assert.deepStrictEqual(policy.configSchema, schema);
                assert.deepStrictEqual(
                    Object.entries(schema.properties).flatMap(([k, s]) => keywords(s, k)),
                    [],
                );
                const defaults = Object.fromEntries(Object.entries(schema.properties).map(([k, s]) => [k, s.default]));
                assert.deepStrictEqual(configProblems(metadata.name, schema, defaults), []);
                for (const [key, property] of Object.entries(schema.properties)) {
                    assert.ok(property.description, `${key} has no description`);
                }
            });
        });
    }

    it("keeps each rule in its own folder, policy/rules/<rule>/, with its fixtures and, if listed in CEL_CHECKS, its CEL", () => {
        const folders = fs
            .readdirSync(RULES_DIR, { withFileTypes: true })
            .filter((entry) => entry.isDirectory())
            .map((entry) => entry.name)
            .sort();
        assert.deepStrictEqual(folders, rules.map((r) => r.metadata.name).sort());
        for (const folder of folders) {
            const files = fs.readdirSync(path.join(RULES_DIR, folder)).sort();
            const expected = ["fixtures.ts", "rule.ts", ...(CEL_CHECKS[folder] ? ["cel.ts"] : [])].sort();
            assert.deepStrictEqual(files, expected, folder);
        }
        assert.deepStrictEqual(
            fs.readdirSync(RULES_DIR).filter((name) => !folders.includes(name)),
            [],
            "policy/rules holds only rule folders",
        );
    });

    it("has no fixtures for rules that do not exist", () => {
        const names = new Set(rules.map((r) => r.metadata.name));
        assert.deepStrictEqual(
            Object.keys(fixtures).filter((name) => !names.has(name)),
            [],
        );
    });
});
