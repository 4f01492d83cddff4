// minimum-replicas, "Minimum replicas": the rule's metadata and check.
import { AutoscalerIndex } from "../../lib/autoscaling";
import { stackRule } from "../../lib/rule";
import { UNKNOWN } from "../../lib/values";
import { workloadsOf } from "../../lib/workloads";

export const minimumReplicas = stackRule<{ minReplicas: number; kinds: string[] }>(
    {
        name: "minimum-replicas",
        title: "Minimum replicas",
        family: "availability",
        severity: "medium",
        description:
            "Deployments and StatefulSets must run at least the configured number of replicas; when an HPA scales a workload, its " +
            "minReplicas counts.",
        remediation:
            "Raise spec.replicas (or the HPA's minReplicas) to the configured minimum, or exempt the workload with the reason it " +
            "cannot be replicated.",
        config: {
            minReplicas: { type: "integer", minimum: 1, default: 1, description: "Lowest replica count allowed, e.g. 2 in production." },
            kinds: {
                type: "array",
                default: ["Deployment", "StatefulSet"],
                uniqueItems: true,
                items: { type: "string", enum: ["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"] },
                description: "Workload kinds the minimum applies to.",
            },
        },
    },
    {
        check({ objects, config, report }) {
            const kinds = new Set(config.kinds);
            const autoscalers = new AutoscalerIndex(objects);
            for (const workload of workloadsOf(objects).filter((w) => kinds.has(w.kind))) {
                const replicas = autoscalers.minimumReplicas(workload);
                if (replicas !== UNKNOWN && replicas < config.minReplicas) {
                    const what = autoscalers.for(workload) ? "its HPA's minReplicas is" : "it runs";
                    report(
                        workload.object,
                        `${what} ${replicas}, below the minimum of ${config.minReplicas}. Raise it to ${config.minReplicas}, or ` +
                            "exempt it with a reason.",
                    );
                }
            }
        },
    },
);
