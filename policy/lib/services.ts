// Which workloads a Service sends traffic to, counting the labels controllers add to the pods they create
// (a Service per StatefulSet pod selects statefulset.kubernetes.io/pod-name, which no template declares).
import type { StackObject } from "./rule";
import { isEmptySelector, type LabelIndex, mapSelector, matches, type Requirement, sameNamespace, type Selector } from "./selectors";
import { at, type Unknown, UNKNOWN } from "./values";
import type { Workload } from "./workloads";

/** A StatefulSet pod's name: `<set>-<ordinal>` (any ordinal when the set's name is not known yet). */
const ordinalOf = (workload: Workload, podName: string): boolean => {
    const name = workload.object.name;
    return typeof name !== "string" || (podName.startsWith(`${name}-`) && /^[0-9]+$/.test(podName.slice(name.length + 1)));
};

/**
 * Labels that controllers add to the pods they create, so a Service may select them although no pod
 * template declares them: by kind, whether the controller adds the key with a value like this one.
 */
export const CONTROLLER_POD_LABELS: Readonly<Record<string, (workload: Workload, value: string) => boolean>> = {
    "statefulset.kubernetes.io/pod-name": (w, value) => w.kind === "StatefulSet" && ordinalOf(w, value),
    "apps.kubernetes.io/pod-index": (w, value) => ["StatefulSet", "Job", "CronJob"].includes(w.kind) && /^[0-9]+$/.test(value),
    "controller-revision-hash": (w) => w.kind === "StatefulSet" || w.kind === "DaemonSet",
    "pod-template-hash": (w) => w.kind === "Deployment",
};

/** Whether the Service selector picks the workload's pods, counting the labels its controller adds. */
export function selectsPods(declared: Selector, added: readonly Requirement[], workload: Workload): boolean {
    if (matches(declared, workload.labels) === "no") {
        return false;
    }
    return added.every(({ key, values }) => {
        const own = workload.labels === UNKNOWN ? UNKNOWN : workload.labels[key];
        return own === UNKNOWN || own === values[0] || CONTROLLER_POD_LABELS[key](workload, values[0]);
    });
}

/** The workloads whose pods a Service selector picks (possibly, when a value is unknown). */
export function selectedWorkloads(index: LabelIndex<Workload>, selector: Selector, namespace: string | undefined | Unknown): Workload[] {
    if (selector === UNKNOWN) {
        return index.inScope(namespace);
    }
    const added = selector.requirements.filter((r) => CONTROLLER_POD_LABELS[r.key] !== undefined);
    const declared: Selector = { requirements: selector.requirements.filter((r) => CONTROLLER_POD_LABELS[r.key] === undefined) };
    const candidates = isEmptySelector(declared) ? index.inScope(namespace) : index.candidates(declared, namespace);
    return candidates.filter((w) => sameNamespace(namespace, w.namespace) && selectsPods(declared, added, w));
}

/** Services by the workloads they (may) send traffic to; Services without a selector target nothing here. */
export function servicesByWorkload(objects: readonly StackObject[], index: LabelIndex<Workload>): Map<Workload, StackObject[]> {
    const targets = new Map<Workload, StackObject[]>();
    for (const service of objects.filter((o) => o.api.kind === "Service")) {
        const selector = mapSelector(at(service.props, "spec", "selector"));
        if (
            at(service.props, "spec", "type") === "ExternalName" ||
            selector === undefined ||
            (selector !== UNKNOWN && isEmptySelector(selector))
        ) {
            continue;
        }
        for (const workload of selectedWorkloads(index, selector, service.namespace)) {
            targets.set(workload, [...(targets.get(workload) ?? []), service]);
        }
    }
    return targets;
}
