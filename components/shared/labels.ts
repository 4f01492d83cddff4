// Recommended Kubernetes labels: one place decides how workloads are labelled and selected.

export const PART_OF = "blog-platform";

/** The labels that select a workload's pods; stable for the workload's lifetime (selectors are immutable). */
export function selectorLabels(workload: string): Record<string, string> {
    return {
        "app.kubernetes.io/name": workload,
        "app.kubernetes.io/part-of": PART_OF,
    };
}

/** Everything we label: the selector plus descriptive labels that may change without a replacement. */
export function commonLabels(workload: string, component: string): Record<string, string> {
    return {
        ...selectorLabels(workload),
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/managed-by": "pulumi",
    };
}
