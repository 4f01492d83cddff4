// pss-host-process, "Windows HostProcess containers": the rule's metadata and check.
import { baseline, offending } from "../../lib/pod-security";
import { containerSecurity, listContainers, podSecurity } from "../../lib/pod-spec";
import { podSpecRule } from "../../lib/rule";

export const hostProcess = podSpecRule(
    baseline({
        name: "pss-host-process",
        pssCheck: "windowsHostProcess",
        title: "Windows HostProcess containers",
        severity: "critical",
        description: "Pods must not run Windows HostProcess containers, which have privileged access to the Windows node.",
        remediation: "Remove securityContext.windowsOptions.hostProcess from the pod and its containers, or set it to false.",
    }),
    {
        check({ pod, report }) {
            if (podSecurity(pod.spec, "windowsOptions", "hostProcess") === true) {
                report(
                    "the pod sets securityContext.windowsOptions.hostProcess=true. Remove it (or set false): HostProcess pods " +
                        "control the node.",
                );
            }
            const bad = offending(pod.spec, (c) => containerSecurity(c, "windowsOptions", "hostProcess") === true);
            if (bad.length > 0) {
                report(`${listContainers(bad)} set securityContext.windowsOptions.hostProcess=true. Remove it (or set false).`);
            }
        },
    },
);
