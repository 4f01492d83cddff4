// Network exposure and isolation: no Services opened on nodes or load balancers unless allowed, every
// workload under a NetworkPolicy on top of a namespace default deny, every Service backed by pods.
import { resourceRule, type Rule, stackRule, type StackObject } from "../lib/rule";
import { isEmptySelector, labelSelector, mapSelector, matches, type Selector } from "../lib/selectors";
import { selectedWorkloads } from "../lib/services";
import { at, isKnown, items, text, type Unknown, UNKNOWN } from "../lib/values";
import { indexWorkloads, ofKind, type Workload, workloadsOf } from "../lib/workloads";

export const serviceExposure = resourceRule(
    {
        name: "service-exposure",
        title: "No LoadBalancer or NodePort Services",
        family: "network",
        severity: "high",
        description:
            "Services must not be of type LoadBalancer or NodePort, which expose pods outside the cluster, unless this policy's " +
            "exemptions allow the Service by name with a reason.",
        remediation:
            "Use a ClusterIP Service behind an Ingress or Gateway, or add the Service to this policy's exemptions with the reason it " +
            "must be exposed.",
    },
    {
        accepts: (api) => api.kind === "Service",
        check({ props, report }) {
            const type = text(at(props, "spec", "type"));
            if (type === "LoadBalancer" || type === "NodePort") {
                report(
                    `is of type ${type}, which exposes it outside the cluster. Use ClusterIP behind an Ingress, or exempt it in the ` +
                        "policy config with a reason.",
                );
            }
        },
    },
);

/** A NetworkPolicy's pod selector; an absent podSelector selects every pod, like an empty one. */
function podSelectorOf(policy: StackObject): Selector {
    const spec = at(policy.props, "spec");
    if (spec === UNKNOWN) {
        return UNKNOWN;
    }
    return labelSelector(at(spec, "podSelector")) ?? { requirements: [] };
}

/** Tracks which workloads some selector may pick, with namespace-wide and everything-wide shortcuts. */
class Coverage {
    private readonly covered = new Set<Workload>();
    private readonly wholeNamespaces = new Set<string | undefined>();
    private everything = false;

    constructor(private readonly workloads: Workload[]) {}

    add(selector: Selector, namespace: string | undefined | Unknown, index: ReturnType<typeof indexWorkloads>): void {
        if (namespace === UNKNOWN && (selector === UNKNOWN || isEmptySelector(selector))) {
            this.everything = true;
        } else if (selector === UNKNOWN || isEmptySelector(selector)) {
            this.wholeNamespaces.add((namespace as string | undefined) ?? "default");
        } else {
            for (const workload of index.candidates(selector, namespace)) {
                if (matches(selector, workload.labels) !== "no") {
                    this.covered.add(workload);
                }
            }
        }
    }

    uncovered(): Workload[] {
        if (this.everything) {
            return [];
        }
        return this.workloads.filter(
            (w) =>
                !this.covered.has(w) &&
                !(w.namespace === UNKNOWN ? this.wholeNamespaces.size > 0 : this.wholeNamespaces.has(w.namespace ?? "default")),
        );
    }
}

export const networkPolicyCoverage = stackRule(
    {
        name: "network-policy-coverage",
        title: "Workloads under a NetworkPolicy",
        family: "network",
        severity: "high",
        description:
            "Every workload's pods must be selected by at least one NetworkPolicy in their namespace, so their allowed traffic is " +
            "stated rather than implied.",
        remediation: "Add a NetworkPolicy whose podSelector matches the workload's pod labels and allows exactly the traffic it needs.",
    },
    {
        check({ objects, report }) {
            const workloads = workloadsOf(objects);
            const index = indexWorkloads(workloads);
            const coverage = new Coverage(workloads);
            for (const policy of ofKind(objects, "NetworkPolicy")) {
                coverage.add(podSelectorOf(policy), policy.namespace, index);
            }
            for (const workload of coverage.uncovered()) {
                report(workload.object, "no NetworkPolicy selects its pods. Add one whose podSelector matches the pod template's labels.");
            }
        },
    },
);

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

export const serviceSelector = stackRule(
    {
        name: "service-selector",
        title: "Services select workloads",
        family: "network",
        severity: "medium",
        description:
            "Every Service with a selector must select the pods of at least one workload in its namespace, counting the labels " +
            "controllers add to pods (statefulset.kubernetes.io/pod-name, apps.kubernetes.io/pod-index, controller-revision-hash, " +
            "pod-template-hash); a selector that matches nothing leaves the Service without endpoints.",
        remediation:
            "Make the Service's selector a subset of the target workload's pod template labels (the workload's selector labels), " +
            "plus at most the labels its controller adds.",
    },
    {
        check({ objects, report }) {
            const index = indexWorkloads(workloadsOf(objects));
            for (const service of ofKind(objects, "Service")) {
                if (at(service.props, "spec", "type") === "ExternalName") {
                    continue;
                }
                const selector = mapSelector(at(service.props, "spec", "selector"));
                if (selector === undefined || selector === UNKNOWN || isEmptySelector(selector)) {
                    continue; // no selector: endpoints are managed by hand
                }
                if (selectedWorkloads(index, selector, service.namespace).length === 0) {
                    const wanted = selector.requirements.map((r) => `${r.key}=${r.values[0]}`).join(", ");
                    report(
                        service,
                        `selects ${wanted}, but no workload in its namespace has pods with those labels. Fix the selector or the pod ` +
                            "template labels.",
                    );
                }
            }
        },
    },
);

export const NETWORK_RULES: readonly Rule[] = [serviceExposure, networkPolicyCoverage, networkDefaultDeny, serviceSelector];
