// service-selector, "Services select workloads": the rule's metadata and check.
import { stackRule } from "../../lib/rule";
import { isEmptySelector, mapSelector } from "../../lib/selectors";
import { selectedWorkloads } from "../../lib/services";
import { at, UNKNOWN } from "../../lib/values";
import { indexWorkloads, ofKind, workloadsOf } from "../../lib/workloads";

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
