// HorizontalPodAutoscalers by the workload they scale, as the availability rules share them.
import type { StackObject } from "./rule";
import { at, text, UNKNOWN, type Unknown } from "./values";
import { ofKind, type Workload } from "./workloads";

/** HorizontalPodAutoscalers by the workload they scale, so a lookup is a map access, not a scan. */
export class AutoscalerIndex {
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
