// pss-allow-privilege-escalation, "Privilege escalation": the rule's metadata and check, and its remediation.
import { restricted, windowsExempt } from "../../lib/pod-security";
import { containerSecurity, containersOf, type ContainerView, listContainers } from "../../lib/pod-spec";
import { podSpecRule } from "../../lib/rule";
import { isKnown, items, UNKNOWN } from "../../lib/values";

/** Containers that must keep privilege escalation: the API rejects allowPrivilegeEscalation=false for them. */
function needsEscalation(container: ContainerView): boolean {
    const added = items(containerSecurity(container, "capabilities", "add"));
    return containerSecurity(container, "privileged") === true || (added !== UNKNOWN && added.includes("SYS_ADMIN"));
}

export const allowPrivilegeEscalation = podSpecRule(
    restricted({
        name: "pss-allow-privilege-escalation",
        pssCheck: "allowPrivilegeEscalation",
        title: "Privilege escalation",
        severity: "high",
        description: "Containers must set allowPrivilegeEscalation to false, so setuid binaries cannot gain privileges.",
        remediation: "Set securityContext.allowPrivilegeEscalation: false on every container, init container and ephemeral container.",
    }),
    {
        check({ pod, config, report }) {
            if (windowsExempt(pod.spec, config)) {
                return;
            }
            const bad = containersOf(pod.spec).filter((c) => {
                const value = containerSecurity(c, "allowPrivilegeEscalation");
                return isKnown(c.value) && value !== false && value !== UNKNOWN;
            });
            if (bad.length > 0) {
                report(`${listContainers(bad)} must set securityContext.allowPrivilegeEscalation=false.`);
            }
        },
        remediate({ pod, config }) {
            if (windowsExempt(pod.spec, config)) {
                return [];
            }
            return containersOf(pod.spec)
                .filter((c) => isKnown(c.value) && containerSecurity(c, "allowPrivilegeEscalation") === undefined && !needsEscalation(c))
                .map((c) => ({ path: [...pod.specPath, c.group, c.index, "securityContext", "allowPrivilegeEscalation"], value: false }));
        },
    },
);
