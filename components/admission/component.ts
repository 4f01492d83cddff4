// The policy pack's single-object rules enforced by the API server itself (blog:admissionPolicies): one
// ValidatingAdmissionPolicy and its binding per rule, so a change made around Pulumi is held to the pack too.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { type AdmissionPolicySpecArgs, admissionPolicySpecs } from "./spec";

export type AdmissionPoliciesArgs = AdmissionPolicySpecArgs;

export class AdmissionPolicies extends pulumi.ComponentResource {
    /** The rules the cluster enforces. */
    readonly rules: string[];

    constructor(name: string, args: AdmissionPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("blog:admission:AdmissionPolicies", name, {}, opts);
        const specs = admissionPolicySpecs(args);
        for (const { rule, policy, binding } of specs) {
            const created = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(
                `${name}-${rule}`,
                policy as k8s.admissionregistration.v1.ValidatingAdmissionPolicyArgs,
                { parent: this },
            );
            // Created after its policy, so the binding never names a policy the API server lacks.
            new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(
                `${name}-${rule}-binding`,
                binding as k8s.admissionregistration.v1.ValidatingAdmissionPolicyBindingArgs,
                { parent: this, dependsOn: [created] },
            );
        }
        this.rules = specs.map((s) => s.rule);
        this.registerOutputs({ rules: this.rules });
    }
}
