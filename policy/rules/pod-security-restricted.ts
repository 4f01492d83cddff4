// Pod Security Standards, restricted profile: the checks pod-security-admission v0.37 adds on top of
// baseline, with its pod-level defaults, its versioned Windows (v1.25+) and user-namespace (v1.35+)
// exemptions, and the remediations that are safe without a human decision.
import {
    containerSecurity,
    containersOf,
    type ContainerView,
    describeContainer,
    inUserNamespace,
    isWindowsPod,
    listContainers,
    podSecurity,
} from "../lib/pod-spec";
import { minorOf } from "../lib/pss-checks";
import { type BaseConfig, type Patch, podSpecRule, type Rule, type RuleMetadata } from "../lib/rule";
import { seccompProfileAllowed, unmaskedProc } from "./pod-security-baseline";
import { at, isKnown, items, show, UNKNOWN } from "../lib/values";

const PSS_URL = "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted";

function restricted(metadata: Omit<RuleMetadata, "family" | "pss" | "url"> & Required<Pick<RuleMetadata, "pssCheck">>): RuleMetadata {
    return { ...metadata, family: "pod-security", pss: "restricted", url: PSS_URL };
}

/** Inline volume sources the restricted profile allows. */
export const ALLOWED_VOLUME_SOURCES: ReadonlySet<string> = new Set([
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
]);

/** Windows pods are exempt from the Linux-only restricted checks since v1.25. */
const windowsExempt = (spec: unknown, config: BaseConfig): boolean => minorOf(config.version) >= 25 && isWindowsPod(spec);
/** Pods in their own user namespace are exempt from the root-user checks since v1.35. */
const userNamespaceExempt = (spec: unknown, config: BaseConfig): boolean => minorOf(config.version) >= 35 && inUserNamespace(spec);

export const volumeTypes = podSpecRule(
    restricted({
        name: "pss-volume-types",
        pssCheck: "restrictedVolumes",
        title: "Volume types",
        severity: "high",
        description:
            "Pods may use only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret " +
            "volumes (a volume that names no source is an emptyDir).",
        remediation:
            "Replace other inline volume sources with a PersistentVolumeClaim (backed by a PersistentVolume or CSI driver) or one of " +
            "the allowed types.",
    }),
    {
        check({ pod, report }) {
            const volumes = items(at(pod.spec, "volumes"));
            if (volumes === UNKNOWN) {
                return;
            }
            for (const volume of volumes) {
                if (!isKnown(volume) || volume === null || typeof volume !== "object") {
                    continue;
                }
                const sources = Object.entries(volume).filter(([key, value]) => key !== "name" && value !== undefined && value !== null);
                if (sources.length > 0 && !sources.some(([key]) => ALLOWED_VOLUME_SOURCES.has(key))) {
                    report(
                        `volume ${show(at(volume, "name"))} uses the restricted type ${sources.map(([k]) => k).join(", ")}. Use a ` +
                            "PersistentVolumeClaim or an allowed type.",
                    );
                }
            }
        },
    },
);

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
            if (isSet(podProfile) && !seccompProfileAllowed(podProfile)) {
                report(
                    `the pod sets securityContext.seccompProfile.type=${show(at(podProfile, "type"))}. Use RuntimeDefault or Localhost.`,
                );
            }
            const podCovers = podProfile === UNKNOWN || (isSet(podProfile) && seccompProfileAllowed(podProfile));
            const explicit: ContainerView[] = [];
            const implicit: ContainerView[] = [];
            for (const container of containersOf(pod.spec)) {
                const profile = containerSecurity(container, "seccompProfile");
                if (!isKnown(container.value) || profile === UNKNOWN) {
                    continue;
                }
                if (isSet(profile)) {
                    if (!seccompProfileAllowed(profile)) {
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

export const procMountRestricted = podSpecRule(
    restricted({
        name: "pss-proc-mount-restricted",
        pssCheck: "procMount_restricted",
        title: "/proc mount type (restricted)",
        severity: "high",
        description:
            "Containers must keep the default /proc masks (procMount Default), even in a pod with its own user namespace (a Pod " +
            "Security check since v1.35).",
        remediation: "Remove securityContext.procMount or set it to Default.",
    }),
    {
        check({ pod, report }) {
            const bad = unmaskedProc(pod.spec);
            if (bad.length > 0) {
                report(`${listContainers(bad)} set securityContext.procMount to a non-default type. Remove it or set Default.`);
            }
        },
    },
);

export const RESTRICTED_RULES: readonly Rule[] = [
    volumeTypes,
    allowPrivilegeEscalation,
    runAsNonRoot,
    runAsUser,
    seccompRestricted,
    capabilitiesRestricted,
    procMountRestricted,
];
