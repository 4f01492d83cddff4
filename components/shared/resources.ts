// Container resource requests and limits, and the arithmetic the namespace quota needs.
import { formatMebibytes, formatMillicores, parseQuantity } from "./quantity";

/** Requests and limits of one container, as Kubernetes quantities. */
export interface ResourceSpec {
    requests: { cpu: string; memory: string };
    limits: { cpu: string; memory: string };
}

/** Requests and limits from four quantities: the requests, then the limits. */
export function resourceSpec(cpu: string, memory: string, cpuLimit: string, memoryLimit: string): ResourceSpec {
    return { requests: { cpu, memory }, limits: { cpu: cpuLimit, memory: memoryLimit } };
}

/** How many pods of one shape may exist at once, at most. */
export interface PodBudget {
    resources: ResourceSpec;
    maxPods: number;
}

/**
 * The ResourceQuota that admits every workload at its maximum scale, plus one surge pod each for rolling
 * updates: a quota below that would block a rollout or an HPA scale-up at the worst moment.
 */
export function quotaFor(budgets: readonly PodBudget[]): Record<string, string> {
    const sum = (pick: (r: ResourceSpec) => string) =>
        budgets.reduce((total, b) => total + (parseQuantity(pick(b.resources)) ?? 0) * (b.maxPods + 1), 0);
    return {
        "requests.cpu": formatMillicores(sum((r) => r.requests.cpu)),
        "requests.memory": formatMebibytes(sum((r) => r.requests.memory)),
        "limits.cpu": formatMillicores(sum((r) => r.limits.cpu)),
        "limits.memory": formatMebibytes(sum((r) => r.limits.memory)),
        pods: String(budgets.reduce((total, b) => total + b.maxPods + 1, 0)),
    };
}
