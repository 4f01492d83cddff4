// pss-host-namespaces, "Host namespaces": the rule's metadata and check.
import { baseline } from "../../lib/pod-security";
import { podSpecRule } from "../../lib/rule";
import { at } from "../../lib/values";

export const hostNamespaces = podSpecRule(
    baseline({
        name: "pss-host-namespaces",
        pssCheck: "hostNamespaces",
        title: "Host namespaces",
        severity: "critical",
        description: "Pods must not share the node's network, process or IPC namespaces (hostNetwork, hostPID, hostIPC).",
        remediation:
            "Remove hostNetwork, hostPID and hostIPC from the pod spec, or set them to false; expose ports through a Service instead.",
    }),
    {
        check({ pod, report }) {
            const shared = ["hostNetwork", "hostPID", "hostIPC"].filter((field) => at(pod.spec, field) === true);
            if (shared.length > 0) {
                report(
                    `the pod sets ${shared.map((f) => `${f}=true`).join(", ")}, sharing the node's namespaces. Remove ` +
                        `${shared.length === 1 ? "it" : "them"} (or set false).`,
                );
            }
        },
    },
);
