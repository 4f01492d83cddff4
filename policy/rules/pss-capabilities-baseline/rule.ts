// pss-capabilities-baseline, "Added capabilities (baseline)": the rule's metadata and check.
import { baseline } from "../../lib/pod-security";
import { containerSecurity, containersOf, describeContainer } from "../../lib/pod-spec";
import { podSpecRule } from "../../lib/rule";
import { items, UNKNOWN } from "../../lib/values";

/** Capabilities the baseline profile lets a container add: the container runtimes' default set. */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
]);

export const capabilitiesBaseline = podSpecRule(
    baseline({
        name: "pss-capabilities-baseline",
        pssCheck: "capabilities_baseline",
        title: "Added capabilities (baseline)",
        severity: "high",
        description:
            "Containers may add only the runtime's default capabilities (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, " +
            "MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT). Under the restricted profile " +
            "pss-capabilities-restricted reports instead.",
        remediation: "Remove every other capability from securityContext.capabilities.add.",
    }),
    {
        check({ pod, report }) {
            for (const container of containersOf(pod.spec)) {
                const added = items(containerSecurity(container, "capabilities", "add"));
                if (added === UNKNOWN) {
                    continue;
                }
                const forbidden = added.filter((cap): cap is string => typeof cap === "string" && !BASELINE_CAPABILITIES.has(cap));
                if (forbidden.length > 0) {
                    report(
                        `${describeContainer(container)} adds capabilities ${forbidden.map((c) => `"${c}"`).join(", ")}. Remove them ` +
                            "from securityContext.capabilities.add.",
                    );
                }
            }
        },
    },
);
