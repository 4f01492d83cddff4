// Remediations judged by what they do: run the remediation on every fixture case, re-run the rule (and the
// whole pack) on the result, and explain each violation that stays by the author's value it would overwrite.
import * as assert from "node:assert";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { compliantPodSpec, fixtures, type K8sObject, wrapPod } from "../../policy/fixtures";
import type { Rule } from "../../policy/lib/rule";
import { rules } from "../../policy/policies";
import { caseResources } from "./fixtures.test";
import {
    asResource,
    type PackConfig,
    type Resource,
    remediateResource,
    runPack,
    unknownValue,
    validateResource,
    type Violation,
} from "../../harness/policy-host";

type Path = (string | number)[];

const remediating = rules.filter((rule) => rule.remediates);

function policyOf(name: string): ResourceValidationPolicy {
    const rule = rules.find((r) => r.metadata.name === name);
    if (!rule) {
        throw new Error(`the catalogue has no rule ${name}`);
    }
    return rule.policy as ResourceValidationPolicy;
}

/** Every path to a value in `value` (containers and leaves), deepest first. */
function pathsIn(value: unknown, prefix: Path = []): Path[] {
    if (value === null || typeof value !== "object") {
        return [];
    }
    const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
    const children = keys.flatMap((key) => [
        ...pathsIn((value as Record<string | number, unknown>)[key], [...prefix, key]),
        [...prefix, key],
    ]);
    return children.sort((a, b) => b.length - a.length);
}

function valueAt(value: unknown, path: Path): unknown {
    return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], value);
}

/** A copy of `props` without the value at `path`. */
function without(props: K8sObject, path: Path): K8sObject {
    const copy = structuredClone(props);
    const parent = valueAt(copy, path.slice(0, -1));
    const last = path[path.length - 1];
    if (Array.isArray(parent)) {
        parent.splice(Number(last), 1);
    } else {
        delete (parent as Record<string | number, unknown>)[last];
    }
    return copy;
}

/**
 * The values of `before` that `after` changed or removed. A remediation may only add: fill in an unset
 * field, or append to a list (ALL to a drop list); a value the author wrote stays as written.
 */
function overwritten(before: unknown, after: unknown, path: Path = []): string[] {
    if (before === null || typeof before !== "object") {
        return before === after ? [] : [`${path.join(".")}: ${JSON.stringify(before)} became ${JSON.stringify(after)}`];
    }
    if (after === null || typeof after !== "object" || Array.isArray(before) !== Array.isArray(after)) {
        return [`${path.join(".")}: ${JSON.stringify(before)} became ${JSON.stringify(after)}`];
    }
    return Object.entries(before).flatMap(([key, value]) =>
        overwritten(value, (after as Record<string, unknown>)[key], [...path, Array.isArray(before) ? Number(key) : key]),
    );
}

const describeViolations = (violations: readonly Violation[]) => violations.map((v) => `${v.policy}: ${v.message}`);

/**
 * Why violations stay after remediation: the deepest value in a securityContext that the author set and
 * that, once removed, lets the remediation fix everything. Undefined when nothing explains them.
 */
async function blockingChoice(policy: ResourceValidationPolicy, resource: Resource, config?: Record<string, unknown>) {
    for (const path of pathsIn(resource.props).filter((p) => p.slice(0, -1).includes("securityContext"))) {
        const candidate = { ...resource, props: without(resource.props, path) };
        const fixed = (await remediateResource(policy, candidate, config)) ?? candidate.props;
        if ((await validateResource(policy, { ...resource, props: fixed }, config)).length === 0) {
            return { path: path.join("."), value: valueAt(resource.props, path) };
        }
    }
    return undefined;
}

describe("remediation", () => {
    it("is offered by exactly the rules whose fix is safe without a human decision", () => {
        // Pinned so that a rule gaining (or losing) an automatic fix is a reviewed change, not a side effect.
        assert.deepStrictEqual(remediating.map((r) => r.metadata.name).sort(), [
            "automount-service-account-token",
            "pss-allow-privilege-escalation",
            "pss-capabilities-restricted",
            "pss-seccomp-restricted",
        ]);
    });

    for (const rule of remediating) {
        describeRemediation(rule);
    }

    it("sets allowPrivilegeEscalation: false only where it is missing and the container is not privileged", async () => {
        const spec = compliantPodSpec();
        delete spec.containers[0].securityContext.allowPrivilegeEscalation;
        spec.containers.push({ ...structuredClone(spec.containers[0]), name: "privileged", securityContext: { privileged: true } });
        const remediated = await remediateResource(policyOf("pss-allow-privilege-escalation"), asResource(wrapPod("Deployment", { spec })));
        assert.ok(remediated, "the unset allowPrivilegeEscalation is not remediated");
        const containers = remediated.spec.template.spec.containers;
        assert.strictEqual(containers[0].securityContext.allowPrivilegeEscalation, false);
        assert.strictEqual(
            containers[1].securityContext.allowPrivilegeEscalation,
            undefined,
            "the API rejects false with privileged: true",
        );
    });

    it("keeps the rest of the resource and adds ALL to an existing drop list", async () => {
        const spec = compliantPodSpec();
        spec.containers[0].securityContext.capabilities = { drop: ["NET_RAW"] };
        const resource = asResource(wrapPod("CronJob", { spec }));
        const remediated = await remediateResource(policyOf("pss-capabilities-restricted"), resource);
        const expected = structuredClone(resource.props);
        expected.spec.jobTemplate.spec.template.spec.containers[0].securityContext.capabilities.drop = ["NET_RAW", "ALL"];
        assert.deepStrictEqual(remediated, expected);
    });

    it("skips a change whose path is not known during preview instead of failing", async () => {
        const spec = compliantPodSpec();
        delete spec.securityContext.seccompProfile;
        const resource = asResource(wrapPod("Deployment", { spec }));
        resource.props.spec.template.spec.securityContext = unknownValue.object;
        assert.strictEqual(await remediateResource(policyOf("pss-seccomp-restricted"), resource), undefined);
    });
});

function describeRemediation(rule: Rule): void {
    const policy = rule.policy as ResourceValidationPolicy;
    const name = rule.metadata.name;
    describe(name, () => {
        for (const [caseName, fixture] of Object.entries(fixtures[name])) {
            for (const { kind, resources } of caseResources(fixture)) {
                const packConfig: PackConfig = fixture.config ? { [name]: fixture.config } : {};
                it(`${caseName}${fixture.pod ? ` in a ${kind}` : ""}: fixes what it may and explains what it leaves`, async () => {
                    for (const resource of resources) {
                        const before = await validateResource(policy, resource, fixture.config);
                        const remediated = await remediateResource(policy, resource, fixture.config);
                        if (before.length === 0) {
                            assert.strictEqual(remediated, undefined, "a resource that passes must come back untouched");
                            continue;
                        }
                        const result = { ...resource, props: remediated ?? resource.props };
                        assert.deepStrictEqual(
                            overwritten(resource.props, result.props),
                            [],
                            "the remediation overwrote the author's values",
                        );
                        assert.strictEqual(
                            await remediateResource(policy, result, fixture.config),
                            undefined,
                            "a second remediation still changes the result: the first one stopped short",
                        );
                        const packBefore = new Set(describeViolations(await runPack([resource], packConfig)));
                        const introduced = describeViolations(await runPack([result], packConfig)).filter((v) => !packBefore.has(v));
                        assert.deepStrictEqual(introduced, [], "the remediation broke another rule");
                        const after = await validateResource(policy, result, fixture.config);
                        if (after.length > 0) {
                            const choice = await blockingChoice(policy, resource, fixture.config);
                            assert.ok(
                                choice,
                                `left ${describeViolations(after).join("; ")}, and no value the author set explains it: ` +
                                    "the remediation should fix it",
                            );
                        }
                    }
                });
            }
        }
    });
}
