// pss-run-as-non-root, "Running as non-root": the rule's metadata and check.
import { restricted, userNamespaceExempt } from "../../lib/pod-security";
import { containerSecurity, containersOf, type ContainerView, listContainers, podSecurity } from "../../lib/pod-spec";
import { podSpecRule } from "../../lib/rule";
import { isKnown, UNKNOWN } from "../../lib/values";

export const runAsNonRoot = podSpecRule(
    restricted({
        name: "pss-run-as-non-root",
        pssCheck: "runAsNonRoot",
        title: "Running as non-root",
        severity: "high",
        description:
            "Containers must run as non-root: runAsNonRoot must be true on the pod (and not overridden to false by a container) or " +
            "on every container.",
        remediation:
            "Set securityContext.runAsNonRoot: true on the pod, with a non-zero runAsUser, and remove any container-level " +
            "runAsNonRoot: false.",
    }),
    {
        check({ pod, config, report }) {
            if (userNamespaceExempt(pod.spec, config)) {
                return;
            }
            const podValue = podSecurity(pod.spec, "runAsNonRoot");
            if (podValue === false) {
                report("the pod sets securityContext.runAsNonRoot=false. Set it to true.");
            }
            const explicit: ContainerView[] = [];
            const implicit: ContainerView[] = [];
            for (const container of containersOf(pod.spec)) {
                const value = containerSecurity(container, "runAsNonRoot");
                if (!isKnown(container.value) || value === UNKNOWN) {
                    continue;
                }
                if (value === false) {
                    explicit.push(container);
                } else if (value !== true && podValue !== true && podValue !== UNKNOWN) {
                    implicit.push(container);
                }
            }
            if (explicit.length > 0) {
                report(`${listContainers(explicit)} set securityContext.runAsNonRoot=false. Remove it or set true.`);
            }
            if (implicit.length > 0) {
                report(`neither the pod nor ${listContainers(implicit)} set securityContext.runAsNonRoot=true. Set it on the pod.`);
            }
        },
    },
);
