// network-policy-coverage, "Workloads under a NetworkPolicy": the rule's metadata and check.
import { podSelectorOf } from "../../lib/network-policies";
import { stackRule } from "../../lib/rule";
import { isEmptySelector, matches, type Selector } from "../../lib/selectors";
import { type Unknown, UNKNOWN } from "../../lib/values";
import { indexWorkloads, ofKind, type Workload, workloadsOf } from "../../lib/workloads";

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
