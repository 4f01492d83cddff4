// The stack's workloads (every pod-carrying object) with their pod labels, for the stack rules.
import { podLabels, type PodView, podView } from "./pod-spec";
import type { StackObject } from "./rule";
import { LabelIndex, labelsOf, type Labels } from "./selectors";
import type { Unknown } from "./values";

export interface Workload {
    object: StackObject;
    kind: string;
    pod: PodView;
    namespace: string | undefined | Unknown;
    /** The pod template's labels: what Services, NetworkPolicies and PodDisruptionBudgets select. */
    labels: Labels;
}

export function workloadsOf(objects: readonly StackObject[]): Workload[] {
    const workloads: Workload[] = [];
    for (const object of objects) {
        const pod = podView(object.api.kind, object.props);
        if (pod) {
            workloads.push({ object, kind: object.api.kind, pod, namespace: object.namespace, labels: labelsOf(podLabels(pod)) });
        }
    }
    return workloads;
}

export const indexWorkloads = (workloads: readonly Workload[]): LabelIndex<Workload> => new LabelIndex(workloads);

/** Objects of one kind. */
export const ofKind = (objects: readonly StackObject[], kind: string): StackObject[] => objects.filter((o) => o.api.kind === kind);
