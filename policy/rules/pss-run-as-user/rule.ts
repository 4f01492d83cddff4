// pss-run-as-user, "Running as non-root user": the rule's metadata and check.
import { restricted, userNamespaceExempt } from "../../lib/pod-security";
import { containerSecurity, containersOf, listContainers, podSecurity } from "../../lib/pod-spec";
import { podSpecRule } from "../../lib/rule";

export const runAsUser = podSpecRule(
    restricted({
        name: "pss-run-as-user",
        pssCheck: "runAsUser",
        title: "Running as non-root user",
        severity: "high",
        description: "Pods and containers must not set runAsUser to 0 (root).",
        remediation: "Set securityContext.runAsUser to the image's non-zero UID, or remove it and rely on runAsNonRoot.",
    }),
    {
        check({ pod, config, report }) {
            if (userNamespaceExempt(pod.spec, config)) {
                return;
            }
            if (podSecurity(pod.spec, "runAsUser") === 0) {
                report("the pod sets securityContext.runAsUser=0. Use a non-zero UID.");
            }
            const bad = containersOf(pod.spec).filter((c) => containerSecurity(c, "runAsUser") === 0);
            if (bad.length > 0) {
                report(`${listContainers(bad)} set securityContext.runAsUser=0. Use a non-zero UID.`);
            }
        },
    },
);
