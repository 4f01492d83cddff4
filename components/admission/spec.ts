// Pure builders for the cluster's copy of the policy pack: which pack config a stack's environment uses,
// and the ValidatingAdmissionPolicies and bindings policy/admission generates from it.
import * as fs from "node:fs";
import * as path from "node:path";
import type { K8sObject } from "../../policy/fixtures/fixture";
import { admissionPolicies } from "../../policy/admission/generate";

/** The environments the pack ships a config for (policy/config/<environment>.json). */
export type PackEnvironment = "dev" | "prod";

/** The pack config each environment's stacks pass with --policy-pack-config; the one mapping of the two. */
export function packConfigFile(environment: PackEnvironment): string {
    return path.join(projectRoot(__dirname), "policy", "config", `${environment}.json`);
}

/** The folder holding Pulumi.yaml above `dir`: this file also runs compiled, from bin/program/<hash>/ (program.js). */
function projectRoot(dir: string): string {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) {
        return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
        throw new Error(`no Pulumi.yaml above ${__dirname}: policy/config cannot be found`);
    }
    return projectRoot(parent);
}

export function readPackConfig(environment: PackEnvironment): Record<string, unknown> {
    return JSON.parse(fs.readFileSync(packConfigFile(environment), "utf8"));
}

export interface AdmissionPolicySpecArgs {
    /** Namespaces the bindings apply to: the platform's (and its monitoring stack's). */
    namespaces: readonly string[];
    /** The stack's pack config (levels and exemptions), as passed with --policy-pack-config. */
    packConfig: Record<string, unknown>;
    /**
     * Names the cluster-wide policies and bindings `<prefix>.<rule>`, so two stacks in one cluster (blog-dev
     * and blog-prod) each keep their own: the stack's namespace, a DNS label unique in the cluster.
     */
    prefix: string;
}

export interface AdmissionPolicySpec {
    /** The catalogue rule the object enforces; names the component's children. */
    rule: string;
    policy: K8sObject;
    binding: K8sObject;
}

/** Each enforced rule's policy with its binding, at the levels and exemptions of `packConfig`. */
export function admissionPolicySpecs(args: AdmissionPolicySpecArgs): AdmissionPolicySpec[] {
    const objects = admissionPolicies(args);
    const rule = (o: K8sObject): string => o.metadata.labels["policy.blog.example/rule"];
    const bindings = new Map(objects.filter((o) => o.kind === "ValidatingAdmissionPolicyBinding").map((b) => [rule(b), b]));
    return objects
        .filter((o) => o.kind === "ValidatingAdmissionPolicy")
        .map((policy) => {
            const binding = bindings.get(rule(policy));
            if (binding === undefined) {
                throw new Error(`policy/admission generated no binding for ${rule(policy)}`);
            }
            return { rule: rule(policy), policy, binding };
        });
}
