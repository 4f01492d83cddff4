// The platform's namespace: restricted Pod Security Admission, a quota sized from the workloads, a
// LimitRange and a default-deny NetworkPolicy that the workloads' own policies open up.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { defaultDenySpec } from "../shared/network-policy";
import { namespaceLabels } from "../shared/labels";
import { type PodBudget, quotaFor } from "../shared/resources";
import { limitRangeSpec, type PodSecurityLevel, podSecurityLabels } from "./spec";

export interface PlatformNamespaceArgs {
    /** Namespace name. */
    name: string;
    /** Pod Security Standard enforced by admission. @default "restricted" */
    podSecurity?: PodSecurityLevel;
    /** Every workload's pod shape and maximum count, to size the ResourceQuota. */
    budgets: readonly PodBudget[];
    /** Deleting a namespace deletes every claim in it: in prod it is protected and retained. */
    dataProtection: boolean;
}

export class PlatformNamespace extends pulumi.ComponentResource {
    readonly name: pulumi.Output<string>;

    constructor(name: string, args: PlatformNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("blog:namespace:PlatformNamespace", name, {}, opts);
        const namespace = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            {
                metadata: {
                    name: args.name,
                    labels: { ...namespaceLabels(), ...podSecurityLabels(args.podSecurity ?? "restricted") },
                },
            },
            { parent: this, protect: args.dataProtection, retainOnDelete: args.dataProtection },
        );
        this.name = namespace.metadata.name;

        const inNamespace = (role: string) => ({ name: role, namespace: this.name });
        new k8s.core.v1.ResourceQuota(
            `${name}-quota`,
            {
                metadata: inNamespace("platform-quota"),
                spec: { hard: quotaFor(args.budgets) },
            },
            { parent: this },
        );
        new k8s.core.v1.LimitRange(
            `${name}-limits`,
            { metadata: inNamespace("container-defaults"), spec: limitRangeSpec() },
            { parent: this },
        );
        new k8s.networking.v1.NetworkPolicy(
            `${name}-default-deny`,
            { metadata: inNamespace("default-deny"), spec: defaultDenySpec() },
            { parent: this },
        );
        this.registerOutputs({ name: this.name });
    }
}
