// pss-capabilities-restricted, "Capabilities (restricted)": the rule's metadata and check, and its remediation.
import { restricted, windowsExempt } from "../../lib/pod-security";
import { containerSecurity, containersOf, describeContainer } from "../../lib/pod-spec";
import { type Patch, podSpecRule } from "../../lib/rule";
import { isKnown, items, UNKNOWN } from "../../lib/values";

export const capabilitiesRestricted = podSpecRule(
    restricted({
        name: "pss-capabilities-restricted",
        pssCheck: "capabilities_restricted",
        title: "Capabilities (restricted)",
        severity: "high",
        description: "Containers must drop ALL capabilities and may add back only NET_BIND_SERVICE.",
        remediation: 'Set securityContext.capabilities.drop: ["ALL"] on every container and add back at most NET_BIND_SERVICE.',
    }),
    {
        check({ pod, config, report }) {
            if (windowsExempt(pod.spec, config)) {
                return;
            }
            for (const container of containersOf(pod.spec)) {
                if (!isKnown(container.value)) {
                    continue;
                }
                const dropped = items(containerSecurity(container, "capabilities", "drop"));
                if (dropped !== UNKNOWN && !dropped.includes("ALL") && !dropped.includes(UNKNOWN)) {
                    report(`${describeContainer(container)} must drop ALL capabilities (securityContext.capabilities.drop: ["ALL"]).`);
                }
                const added = items(containerSecurity(container, "capabilities", "add"));
                const extra = added === UNKNOWN ? [] : added.filter((cap) => typeof cap === "string" && cap !== "NET_BIND_SERVICE");
                if (extra.length > 0) {
                    report(
                        `${describeContainer(container)} adds ${extra.map((c) => `"${String(c)}"`).join(", ")}. Only ` +
                            "NET_BIND_SERVICE may be added.",
                    );
                }
            }
        },
        remediate({ pod, config }) {
            if (windowsExempt(pod.spec, config)) {
                return [];
            }
            const patches: Patch[] = [];
            for (const container of containersOf(pod.spec)) {
                const dropped = items(containerSecurity(container, "capabilities", "drop"));
                if (isKnown(container.value) && dropped !== UNKNOWN && !dropped.includes("ALL") && !dropped.includes(UNKNOWN)) {
                    patches.push({
                        path: [...pod.specPath, container.group, container.index, "securityContext", "capabilities", "drop"],
                        value: [...dropped, "ALL"],
                    });
                }
            }
            return patches;
        },
    },
);
