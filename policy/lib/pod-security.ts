// What the Pod Security Standards rules share: their metadata's profile and link, the containers a control
// finds fault with, the profile-type reports (AppArmor, seccomp) and the restricted profile's exemptions.
import {
    containerSecurity,
    containersOf,
    type ContainerView,
    inUserNamespace,
    isWindowsPod,
    listContainers,
    podSecurity,
    type PodView,
} from "./pod-spec";
import { minorOf } from "./pss-checks";
import type { BaseConfig, RuleMetadata } from "./rule";
import { at, isKnown, show, UNKNOWN } from "./values";

const BASELINE_URL = "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline";

export function baseline(metadata: Omit<RuleMetadata, "family" | "pss" | "url"> & Required<Pick<RuleMetadata, "pssCheck">>): RuleMetadata {
    return { ...metadata, family: "pod-security", pss: "baseline", url: BASELINE_URL };
}

/** Containers (of every group) for which `bad` holds, for a single grouped message. */
export const offending = (spec: unknown, bad: (container: ContainerView) => boolean): ContainerView[] =>
    containersOf(spec).filter((container) => isKnown(container.value) && bad(container));

/** Containers that set a /proc mount type other than Default. */
export const unmaskedProc = (spec: unknown): ContainerView[] =>
    offending(spec, (c) => {
        const mount = containerSecurity(c, "procMount");
        return mount !== undefined && mount !== null && mount !== UNKNOWN && mount !== "Default";
    });

/** Reports the pod's and the containers' securityContext.<field> whose type `allowed` refuses (AppArmor, seccomp). */
export function reportProfileTypes(
    pod: PodView,
    field: "appArmorProfile" | "seccompProfile",
    allowed: (profile: unknown) => boolean,
    report: (message: string) => void,
): void {
    const podProfile = podSecurity(pod.spec, field);
    if (!allowed(podProfile)) {
        report(`the pod sets securityContext.${field}.type=${show(at(podProfile, "type"))}. Use RuntimeDefault or Localhost.`);
    }
    const bad = offending(pod.spec, (c) => !allowed(containerSecurity(c, field)));
    if (bad.length > 0) {
        report(
            `${listContainers(bad)} set securityContext.${field}.type to a profile other than RuntimeDefault or Localhost. ` +
                "Use RuntimeDefault.",
        );
    }
}

/**
 * A set seccompProfile or appArmorProfile must name RuntimeDefault or Localhost (an empty type is forbidden
 * too); unset is fine. Pod Security Standards hold both profiles to the same types.
 */
export const profileTypeAllowed = (profile: unknown): boolean =>
    profile === undefined ||
    profile === null ||
    profile === UNKNOWN ||
    at(profile, "type") === UNKNOWN ||
    at(profile, "type") === "RuntimeDefault" ||
    at(profile, "type") === "Localhost";

const RESTRICTED_URL = "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted";

export function restricted(
    metadata: Omit<RuleMetadata, "family" | "pss" | "url"> & Required<Pick<RuleMetadata, "pssCheck">>,
): RuleMetadata {
    return { ...metadata, family: "pod-security", pss: "restricted", url: RESTRICTED_URL };
}

/** Windows pods are exempt from the Linux-only restricted checks since v1.25. */
export const windowsExempt = (spec: unknown, config: BaseConfig): boolean => minorOf(config.version) >= 25 && isWindowsPod(spec);

/** Pods in their own user namespace are exempt from the root-user checks since v1.35. */
export const userNamespaceExempt = (spec: unknown, config: BaseConfig): boolean => minorOf(config.version) >= 35 && inUserNamespace(spec);
