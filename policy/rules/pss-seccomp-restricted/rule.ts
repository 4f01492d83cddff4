// pss-seccomp-restricted, "Seccomp (restricted)": the rule's metadata and check, and its remediation.
import { restricted, profileTypeAllowed, windowsExempt } from "../../lib/pod-security";
import { containerSecurity, containersOf, type ContainerView, listContainers, podSecurity } from "../../lib/pod-spec";
import { type Patch, podSpecRule } from "../../lib/rule";
import { at, isKnown, show, UNKNOWN } from "../../lib/values";

const isSet = (value: unknown): boolean => value !== undefined && value !== null;

export const seccompRestricted = podSpecRule(
    restricted({
        name: "pss-seccomp-restricted",
        pssCheck: "seccompProfile_restricted",
        title: "Seccomp (restricted)",
        severity: "high",
        description:
            "A seccomp profile must be in force: RuntimeDefault or Localhost on the pod, or on every container that the pod level " +
            "does not cover.",
        remediation: "Set securityContext.seccompProfile.type: RuntimeDefault on the pod.",
    }),
    {
        check({ pod, config, report }) {
            if (windowsExempt(pod.spec, config)) {
                return;
            }
            const podProfile = podSecurity(pod.spec, "seccompProfile");
            if (isSet(podProfile) && !profileTypeAllowed(podProfile)) {
                report(
                    `the pod sets securityContext.seccompProfile.type=${show(at(podProfile, "type"))}. Use RuntimeDefault or Localhost.`,
                );
            }
            const podCovers = podProfile === UNKNOWN || (isSet(podProfile) && profileTypeAllowed(podProfile));
            const explicit: ContainerView[] = [];
            const implicit: ContainerView[] = [];
            for (const container of containersOf(pod.spec)) {
                const profile = containerSecurity(container, "seccompProfile");
                if (!isKnown(container.value) || profile === UNKNOWN) {
                    continue;
                }
                if (isSet(profile)) {
                    if (!profileTypeAllowed(profile)) {
                        explicit.push(container);
                    }
                } else if (!podCovers) {
                    implicit.push(container);
                }
            }
            if (explicit.length > 0) {
                report(
                    `${listContainers(explicit)} set securityContext.seccompProfile.type to a profile other than RuntimeDefault or ` +
                        "Localhost. Use RuntimeDefault.",
                );
            }
            if (implicit.length > 0) {
                report(
                    `neither the pod nor ${listContainers(implicit)} set securityContext.seccompProfile.type. Set RuntimeDefault on ` +
                        "the pod.",
                );
            }
        },
        remediate({ pod, config }): Patch[] {
            const current = podSecurity(pod.spec, "seccompProfile");
            // Only a pod level that is unset while some container relies on it; explicit profiles are left alone.
            const uncovered = containersOf(pod.spec).some((c) => isKnown(c.value) && containerSecurity(c, "seccompProfile") === undefined);
            if (windowsExempt(pod.spec, config) || current !== undefined || !isKnown(pod.spec) || !uncovered) {
                return [];
            }
            return [{ path: [...pod.specPath, "securityContext", "seccompProfile"], value: { type: "RuntimeDefault" } }];
        },
    },
);
