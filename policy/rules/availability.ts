// Availability across the stack: replicated workloads keep a PodDisruptionBudget that still lets nodes
// drain, and workloads run at least the configured number of replicas (HPA minimums included).
import { type Rule, stackRule, type StackObject } from "../lib/rule";
import { labelSelector, LabelIndex, matches, sameNamespace } from "../lib/selectors";
import { at, isKnown, text, type Unknown, UNKNOWN } from "../lib/values";
import { ofKind, type Workload, workloadsOf } from "../lib/workloads";

/** Kinds that keep a number of replicas running, so evictions can take several of them down at once. */
const REPLICATED_KINDS = new Set(["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"]);

/** HorizontalPodAutoscalers by the workload they scale, so a lookup is a map access, not a scan. */
class AutoscalerIndex {
    private readonly byTarget = new Map<string, StackObject>();
    private readonly unknownTargets: StackObject[] = [];

    constructor(objects: readonly StackObject[]) {
        for (const hpa of ofKind(objects, "HorizontalPodAutoscaler")) {
            const kind = text(at(hpa.props, "spec", "scaleTargetRef", "kind"));
            const name = text(at(hpa.props, "spec", "scaleTargetRef", "name"));
            if (kind === UNKNOWN || name === UNKNOWN || hpa.namespace === UNKNOWN) {
                this.unknownTargets.push(hpa);
            } else if (kind && name) {
                this.byTarget.set(`${hpa.namespace ?? "default"}/${kind}/${name}`, hpa);
            }
        }
    }

    /** The workload's lowest replica count: the HPA's minReplicas (default 1) when one scales it, else spec.replicas (default 1). */
    minimumReplicas(workload: Workload): number | Unknown {
        if (workload.namespace === UNKNOWN || this.unknownTargets.length > 0) {
            return UNKNOWN; // an HPA we cannot place yet may own it
        }
        const hpa = this.byTarget.get(`${workload.namespace ?? "default"}/${workload.kind}/${workload.object.name}`);
        const value = hpa ? at(hpa.props, "spec", "minReplicas") : at(workload.object.props, "spec", "replicas");
        if (value === UNKNOWN) {
            return UNKNOWN;
        }
        return typeof value === "number" ? value : 1;
    }

    /** The HPA scaling the workload, if any (for messages). */
    for(workload: Workload): StackObject | undefined {
        return this.byTarget.get(`${String(workload.namespace ?? "default")}/${workload.kind}/${workload.object.name}`);
    }
}

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

export const minimumReplicas = stackRule<{ minReplicas: number; kinds: string[] }>(
    {
        name: "minimum-replicas",
        title: "Minimum replicas",
        family: "availability",
        severity: "medium",
        description:
            "Deployments and StatefulSets must run at least the configured number of replicas; when an HPA scales a workload, its " +
            "minReplicas counts.",
        remediation:
            "Raise spec.replicas (or the HPA's minReplicas) to the configured minimum, or exempt the workload with the reason it " +
            "cannot be replicated.",
        config: {
            minReplicas: { type: "integer", minimum: 1, default: 1, description: "Lowest replica count allowed, e.g. 2 in production." },
            kinds: {
                type: "array",
                default: ["Deployment", "StatefulSet"],
                uniqueItems: true,
                items: { type: "string", enum: ["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"] },
                description: "Workload kinds the minimum applies to.",
            },
        },
    },
    {
        check({ objects, config, report }) {
            const kinds = new Set(config.kinds);
            const autoscalers = new AutoscalerIndex(objects);
            for (const workload of workloadsOf(objects).filter((w) => kinds.has(w.kind))) {
                const replicas = autoscalers.minimumReplicas(workload);
                if (replicas !== UNKNOWN && replicas < config.minReplicas) {
                    const what = autoscalers.for(workload) ? "its HPA's minReplicas is" : "it runs";
                    report(
                        workload.object,
                        `${what} ${replicas}, below the minimum of ${config.minReplicas}. Raise it to ${config.minReplicas}, or ` +
                            "exempt it with a reason.",
                    );
                }
            }
        },
    },
);

export const AVAILABILITY_RULES: readonly Rule[] = [podDisruptionBudget, minimumReplicas];
