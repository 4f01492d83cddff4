// container-resources, "Container requests and limits": the rule's metadata and check.
import { containersOf, describeContainer } from "../../lib/pod-spec";
import { parseQuantity } from "../../lib/quantity";
import { podSpecRule } from "../../lib/rule";
import { at, isKnown, UNKNOWN } from "../../lib/values";

const RESOURCE_NAMES = ["cpu", "memory"] as const;

export const containerResources = podSpecRule(
    {
        name: "container-resources",
        title: "Container requests and limits",
        family: "workload",
        severity: "medium",
        description:
            "Every container must request and limit CPU and memory, with each limit at least its request, so the scheduler can place " +
            "it and a runaway process cannot starve its node.",
        remediation:
            "Set resources.requests.cpu, resources.requests.memory, resources.limits.cpu and resources.limits.memory on every " +
            "container and init container, limits not below requests.",
    },
    {
        check({ pod, report }) {
            for (const container of containersOf(pod.spec, ["containers", "initContainers"])) {
                const resources = at(container.value, "resources");
                if (resources === UNKNOWN || !isKnown(container.value)) {
                    continue;
                }
                const missing: string[] = [];
                const inverted: string[] = [];
                for (const resource of RESOURCE_NAMES) {
                    const request = at(resources, "requests", resource);
                    const limit = at(resources, "limits", resource);
                    if (request === undefined || request === null) {
                        missing.push(`requests.${resource}`);
                    }
                    if (limit === undefined || limit === null) {
                        missing.push(`limits.${resource}`);
                    }
                    const [r, l] = [parseQuantity(request), parseQuantity(limit)];
                    if (r !== undefined && l !== undefined && l < r) {
                        inverted.push(`limits.${resource} ${String(limit)} is below requests.${resource} ${String(request)}`);
                    }
                }
                if (missing.length > 0) {
                    report(
                        `${describeContainer(container)} does not set resources ${missing.join(", ")}. Set CPU and memory requests ` +
                            "and limits.",
                    );
                }
                if (inverted.length > 0) {
                    report(`${describeContainer(container)}: ${inverted.join("; ")}. Raise the limit to at least the request.`);
                }
            }
        },
    },
);
