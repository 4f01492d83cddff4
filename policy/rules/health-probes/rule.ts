// health-probes, "Liveness and readiness probes": the rule's metadata and check.
import { containersOf, type ContainerView, describeContainer } from "../../lib/pod-spec";
import { type StackObject, stackRule } from "../../lib/rule";
import { servicesByWorkload } from "../../lib/services";
import { at, isKnown, items, show, UNKNOWN } from "../../lib/values";
import { indexWorkloads, type Workload, workloadsOf } from "../../lib/workloads";

interface ProbeConfig {
    readinessForWorkers: boolean;
}

/** Why a workload's containers need a readiness probe, or undefined when nothing sends it traffic. */
function trafficReason(workload: Workload, services: readonly StackObject[], containers: readonly ContainerView[]): string | undefined {
    if (services.length > 0) {
        return `Service ${services.map((s) => s.name ?? s.pulumiName).join(", ")} sends it traffic, which must wait until it is ready`;
    }
    const ports = containers.flatMap((c) => {
        const list = items(at(c.value, "ports"));
        return list === UNKNOWN ? [] : list.map((p) => at(p, "containerPort"));
    });
    if (ports.length > 0) {
        return `it declares container port ${ports.map((p) => show(p)).join(", ")}, so it serves traffic`;
    }
    return workload.labels === UNKNOWN ? "a Service may select it (its labels are not known yet)" : undefined;
}

export const healthProbes = stackRule<ProbeConfig>(
    {
        name: "health-probes",
        title: "Liveness and readiness probes",
        family: "workload",
        severity: "medium",
        description:
            "Containers of long-running workloads (and native sidecars) must have a liveness probe, and a readiness probe when the " +
            "workload serves traffic (a Service selects it or it declares a container port); Jobs, CronJobs, run-to-completion Pods " +
            "and plain init containers are exempt.",
        remediation:
            "Add a livenessProbe (is the process healthy?) to every long-running container, and a readinessProbe (can it serve " +
            "traffic?) to those a Service or a container port sends traffic to.",
        config: {
            readinessForWorkers: {
                type: "boolean",
                default: false,
                description: "Require a readiness probe also on workers that no Service selects and that declare no container port.",
            },
        },
    },
    {
        check({ objects, config, report }) {
            const workloads = workloadsOf(objects);
            const services = servicesByWorkload(objects, indexWorkloads(workloads));
            for (const workload of workloads) {
                if (workload.pod.longRunning !== true) {
                    continue;
                }
                const serving = containersOf(workload.pod.spec, ["containers", "initContainers"]).filter(
                    (c) => (c.group === "containers" || c.sidecar) && isKnown(c.value),
                );
                const reason = config.readinessForWorkers
                    ? "this policy's readinessForWorkers setting requires it on every long-running workload"
                    : trafficReason(workload, services.get(workload) ?? [], serving);
                for (const container of serving) {
                    const has = (probe: string) => {
                        const value = at(container.value, probe);
                        return value !== undefined && value !== null;
                    };
                    const missing: string[] = [];
                    if (!has("livenessProbe")) {
                        missing.push("livenessProbe (the kubelet restarts a hung process only with one)");
                    }
                    if (reason !== undefined && !has("readinessProbe")) {
                        missing.push(`readinessProbe (required because ${reason})`);
                    }
                    if (missing.length > 0) {
                        report(
                            workload.object,
                            `${describeContainer(container)} has no ${missing.join(" and no ")}. Add ` +
                                `${missing.length === 1 ? "it" : "both"}.`,
                        );
                    }
                }
            }
        },
    },
);
