// pod-disruption-budget, "Disruption budgets for replicated workloads": the rule's metadata and check.
import { AutoscalerIndex } from "../../lib/autoscaling";
import { type StackObject, stackRule } from "../../lib/rule";
import { LabelIndex, labelSelector, matches, sameNamespace } from "../../lib/selectors";
import { at, isKnown, type Unknown, UNKNOWN } from "../../lib/values";
import { ofKind, type Workload, workloadsOf } from "../../lib/workloads";

/** Kinds that keep a number of replicas running, so evictions can take several of them down at once. */
const REPLICATED_KINDS = new Set(["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"]);

/** Whether a PDB lets at least one of `replicas` pods be evicted (Kubernetes rounds percentages up). */
export function allowsDisruption(pdb: StackObject, replicas: number): boolean | Unknown {
    const spec = at(pdb.props, "spec");
    const maxUnavailable = at(spec, "maxUnavailable");
    const minAvailable = at(spec, "minAvailable");
    if (spec === UNKNOWN || maxUnavailable === UNKNOWN || minAvailable === UNKNOWN) {
        return UNKNOWN;
    }
    const scaled = (value: unknown): number | undefined => {
        if (typeof value === "number") {
            return value;
        }
        const percent = typeof value === "string" ? /^([0-9]+)%$/.exec(value) : null;
        return percent
            ? Math.ceil((replicas * Number(percent[1])) / 100)
            : typeof value === "string" && /^[0-9]+$/.test(value)
              ? Number(value)
              : undefined;
    };
    if (maxUnavailable !== undefined && maxUnavailable !== null) {
        const allowed = scaled(maxUnavailable);
        return allowed === undefined ? UNKNOWN : allowed >= 1;
    }
    if (minAvailable !== undefined && minAvailable !== null) {
        const required = scaled(minAvailable);
        return required === undefined ? UNKNOWN : required < replicas;
    }
    return true;
}

export const podDisruptionBudget = stackRule(
    {
        name: "pod-disruption-budget",
        title: "Disruption budgets for replicated workloads",
        family: "availability",
        severity: "medium",
        description:
            "Every Deployment, StatefulSet, ReplicaSet or ReplicationController that runs two or more replicas (counting an HPA's " +
            "minReplicas) must be selected by exactly one PodDisruptionBudget, and that budget must allow at least one pod to be " +
            "evicted.",
        remediation:
            "Add one PodDisruptionBudget whose selector matches the pod labels, with maxUnavailable: 1 (or a minAvailable below the " +
            "replica count).",
    },
    {
        check({ objects, report }) {
            const workloads = workloadsOf(objects).filter((w) => REPLICATED_KINDS.has(w.kind));
            const index = new LabelIndex(workloads);
            const autoscalers = new AutoscalerIndex(objects);
            const budgets = new Map<Workload, { pdb: StackObject; certain: boolean }[]>();
            let unknownBudget = false;
            for (const pdb of ofKind(objects, "PodDisruptionBudget")) {
                const selector = labelSelector(at(pdb.props, "spec", "selector"));
                if (selector === undefined) {
                    continue; // a null selector selects no pods
                }
                if (selector === UNKNOWN) {
                    unknownBudget = true;
                    continue;
                }
                for (const workload of index.candidates(selector, pdb.namespace)) {
                    const match = matches(selector, workload.labels);
                    if (match !== "no" && sameNamespace(pdb.namespace, workload.namespace)) {
                        const certain = match === "yes" && isKnown(pdb.namespace) && isKnown(workload.namespace);
                        budgets.set(workload, [...(budgets.get(workload) ?? []), { pdb, certain }]);
                    }
                }
            }
            for (const workload of workloads) {
                const replicas = autoscalers.minimumReplicas(workload);
                if (replicas === UNKNOWN || replicas < 2) {
                    continue;
                }
                const found = budgets.get(workload) ?? [];
                const source = autoscalers.for(workload) ? `its HPA's minReplicas ${replicas}` : `${replicas} replicas`;
                if (found.length === 0) {
                    if (!unknownBudget) {
                        report(
                            workload.object,
                            `runs ${source} but no PodDisruptionBudget selects its pods. Add one with maxUnavailable: 1.`,
                        );
                    }
                    continue;
                }
                if (found.filter((b) => b.certain).length > 1) {
                    report(
                        workload.object,
                        `is selected by ${found.length} PodDisruptionBudgets (${found.map((b) => b.pdb.display).join(", ")}); ` +
                            "evictions fail when more than one applies. Keep one.",
                    );
                    continue;
                }
                if (found.every((b) => allowsDisruption(b.pdb, replicas) === false)) {
                    report(
                        workload.object,
                        `has ${source}, and its PodDisruptionBudget ${found[0].pdb.display} allows no eviction, so node drains ` +
                            "block. Use maxUnavailable: 1.",
                    );
                }
            }
        },
    },
);
