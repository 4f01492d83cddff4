// network-default-deny, "Namespace default deny": the rule's metadata and check.
import { podSelectorOf } from "../../lib/network-policies";
import { type StackObject, stackRule } from "../../lib/rule";
import { isEmptySelector } from "../../lib/selectors";
import { at, isKnown, items, type Unknown, UNKNOWN } from "../../lib/values";
import { ofKind, workloadsOf } from "../../lib/workloads";

/** A NetworkPolicy that selects every pod of its namespace and allows nothing in either direction. */
function isDefaultDeny(policy: StackObject): boolean | Unknown {
    const spec = at(policy.props, "spec");
    const selector = podSelectorOf(policy);
    const types = items(at(spec, "policyTypes"));
    const ingress = items(at(spec, "ingress"));
    const egress = items(at(spec, "egress"));
    if (
        spec === UNKNOWN ||
        selector === UNKNOWN ||
        types === UNKNOWN ||
        ingress === UNKNOWN ||
        egress === UNKNOWN ||
        types.includes(UNKNOWN)
    ) {
        return UNKNOWN;
    }
    return (
        isEmptySelector(selector) && types.includes("Ingress") && types.includes("Egress") && ingress.length === 0 && egress.length === 0
    );
}

export const networkDefaultDeny = stackRule(
    {
        name: "network-default-deny",
        title: "Namespace default deny",
        family: "network",
        severity: "high",
        description:
            "Every namespace that runs workloads must have a default-deny NetworkPolicy: an empty podSelector, policyTypes Ingress " +
            "and Egress, and no rules.",
        remediation:
            "Add a NetworkPolicy with podSelector: {}, policyTypes: [Ingress, Egress] and no ingress or egress rules to the namespace.",
    },
    {
        check({ objects, report }) {
            const denied = new Set<string>();
            let unknownDeny = false;
            for (const policy of ofKind(objects, "NetworkPolicy")) {
                const deny = isDefaultDeny(policy);
                if (deny === UNKNOWN || (deny && policy.namespace === UNKNOWN)) {
                    unknownDeny = true;
                } else if (deny) {
                    denied.add((policy.namespace as string | undefined) ?? "default");
                }
            }
            if (unknownDeny) {
                return; // a policy not known yet may be the namespace's default deny
            }
            const namespaces = new Map<string, StackObject>();
            for (const workload of workloadsOf(objects)) {
                if (isKnown(workload.namespace)) {
                    const ns = workload.namespace ?? "default";
                    if (!namespaces.has(ns)) {
                        namespaces.set(ns, workload.object);
                    }
                }
            }
            const declared = new Map(ofKind(objects, "Namespace").flatMap((n) => (n.name ? [[n.name, n] as const] : [])));
            for (const [namespace, firstWorkload] of namespaces) {
                if (!denied.has(namespace)) {
                    report(
                        declared.get(namespace) ?? firstWorkload,
                        `namespace "${namespace}" runs workloads but has no default-deny NetworkPolicy. Add one with podSelector: {} ` +
                            "and policyTypes [Ingress, Egress].",
                    );
                }
            }
        },
    },
);
