// pss-host-path-volumes, "HostPath volumes": the rule's metadata and check.
import { baseline } from "../../lib/pod-security";
import { podSpecRule } from "../../lib/rule";
import { at, items, show, UNKNOWN } from "../../lib/values";

export const hostPathVolumes = podSpecRule(
    baseline({
        name: "pss-host-path-volumes",
        pssCheck: "hostPathVolumes",
        title: "HostPath volumes",
        severity: "critical",
        description:
            "Pods must not mount hostPath volumes, which expose the node's filesystem. Under the restricted profile pss-volume-types " +
            "reports instead.",
        remediation: "Replace hostPath volumes with emptyDir, a ConfigMap or Secret, or a PersistentVolumeClaim.",
    }),
    {
        check({ pod, report }) {
            const volumes = items(at(pod.spec, "volumes"));
            if (volumes === UNKNOWN) {
                return;
            }
            const bad = volumes.filter((v) => {
                const source = at(v, "hostPath");
                return source !== undefined && source !== null && source !== UNKNOWN;
            });
            if (bad.length > 0) {
                report(
                    `volumes ${bad.map((v) => show(at(v, "name"))).join(", ")} use hostPath. Use emptyDir, a ConfigMap, a Secret or ` +
                        "a PersistentVolumeClaim instead.",
                );
            }
        },
    },
);
