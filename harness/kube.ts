// The cluster's pods as the real-node suites and the load benchmark see them: which serve, which are Ready.
import { kubectl } from "./cli";

export interface Pod {
    metadata: { name: string; labels?: Record<string, string>; ownerReferences?: { kind: string }[] };
    status: { phase: string; conditions?: { type: string; status: string }[]; podIP?: string };
}

/** The namespace's pods that serve (a migration Job's pods are left out). */
export function servingPods(namespace: string): Pod[] {
    const pods = JSON.parse(kubectl(["-n", namespace, "get", "pods", "-o", "json"]).stdout) as { items: Pod[] };
    return pods.items.filter((pod) => !pod.metadata.ownerReferences?.some((owner) => owner.kind === "Job"));
}

export function isReady(pod: Pod): boolean {
    return pod.status.phase === "Running" && !!pod.status.conditions?.some((c) => c.type === "Ready" && c.status === "True");
}
