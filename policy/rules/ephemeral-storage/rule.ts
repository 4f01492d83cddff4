// ephemeral-storage, "Ephemeral storage requests and limits": the rule's metadata and check.
import { containersOf, describeContainer } from "../../lib/pod-spec";
import { parseQuantity } from "../../lib/quantity";
import { podSpecRule } from "../../lib/rule";
import { at, isKnown, UNKNOWN } from "../../lib/values";

export const ephemeralStorage = podSpecRule(
    {
        name: "ephemeral-storage",
        title: "Ephemeral storage requests and limits",
        family: "workload",
        severity: "medium",
        enforcementLevel: "advisory",
        description:
            "Every container must request and limit ephemeral-storage, with the limit at least the request, so an unbounded " +
            "emptyDir, log or scratch file cannot fill the node's disk and get its neighbours evicted.",
        remediation:
            "Set resources.requests.ephemeral-storage and resources.limits.ephemeral-storage on every container and init container " +
            "(e.g. 64Mi and 1Gi), and a sizeLimit on emptyDir volumes.",
    },
    {
        check({ pod, report }) {
            for (const container of containersOf(pod.spec, ["containers", "initContainers"])) {
                const resources = at(container.value, "resources");
                if (resources === UNKNOWN || !isKnown(container.value)) {
                    continue;
                }
                const request = at(resources, "requests", "ephemeral-storage");
                const limit = at(resources, "limits", "ephemeral-storage");
                const missing = [
                    ["requests", request],
                    ["limits", limit],
                ]
                    .filter(([, v]) => v === undefined || v === null)
                    .map(([k]) => `${k}.ephemeral-storage`);
                if (missing.length > 0) {
                    report(
                        `${describeContainer(container)} does not set resources ${missing.join(" or ")}. Set both, so its disk use ` +
                            "is bounded.",
                    );
                }
                const [r, l] = [parseQuantity(request), parseQuantity(limit)];
                if (r !== undefined && l !== undefined && l < r) {
                    report(
                        `${describeContainer(container)}: limits.ephemeral-storage ${String(limit)} is below ` +
                            `requests.ephemeral-storage ${String(request)}. Raise the limit to at least the request.`,
                    );
                }
            }
        },
    },
);
