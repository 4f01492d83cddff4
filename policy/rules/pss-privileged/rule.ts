// pss-privileged, "Privileged containers": the rule's metadata and check.
import { baseline, offending } from "../../lib/pod-security";
import { containerSecurity, listContainers } from "../../lib/pod-spec";
import { podSpecRule } from "../../lib/rule";

export const privileged = podSpecRule(
    baseline({
        name: "pss-privileged",
        pssCheck: "privileged",
        title: "Privileged containers",
        severity: "critical",
        description: "Containers must not run privileged, which disables most container isolation.",
        remediation: "Remove securityContext.privileged (or set it to false) and grant only the specific capabilities the process needs.",
    }),
    {
        check({ pod, report }) {
            const bad = offending(pod.spec, (c) => containerSecurity(c, "privileged") === true);
            if (bad.length > 0) {
                report(`${listContainers(bad)} set securityContext.privileged=true. Remove it (or set false).`);
            }
        },
    },
);
