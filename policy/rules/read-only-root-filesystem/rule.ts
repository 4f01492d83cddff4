// read-only-root-filesystem, "Read-only root filesystem": the rule's metadata and check.
import { containerSecurity, containersOf, listContainers } from "../../lib/pod-spec";
import { podSpecRule } from "../../lib/rule";
import { isKnown, UNKNOWN } from "../../lib/values";

export const readOnlyRootFilesystem = podSpecRule(
    {
        name: "read-only-root-filesystem",
        title: "Read-only root filesystem",
        family: "workload",
        severity: "medium",
        description: "Containers must run with a read-only root filesystem, so a compromised process cannot modify its image.",
        remediation:
            "Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir at each path the process writes to (e.g. /tmp).",
    },
    {
        check({ pod, report }) {
            const bad = containersOf(pod.spec).filter((c) => {
                const value = containerSecurity(c, "readOnlyRootFilesystem");
                return isKnown(c.value) && value !== true && value !== UNKNOWN;
            });
            if (bad.length > 0) {
                report(
                    `${listContainers(bad)} must set securityContext.readOnlyRootFilesystem=true; mount an emptyDir where the ` +
                        "process writes.",
                );
            }
        },
    },
);
