// The pack's catalogue: every rule, in the order the CLI reports them. A rule lives in its own folder,
// policy/rules/<rule>/ (rule.ts, fixtures.ts and, when the API server can check it, cel.ts); list it here.
import type { Policies } from "@pulumi/policy";
import type { Rule } from "./lib/rule";
import { hostProcess } from "./rules/pss-host-process/rule";
import { hostNamespaces } from "./rules/pss-host-namespaces/rule";
import { privileged } from "./rules/pss-privileged/rule";
import { capabilitiesBaseline } from "./rules/pss-capabilities-baseline/rule";
import { hostPathVolumes } from "./rules/pss-host-path-volumes/rule";
import { hostPorts } from "./rules/pss-host-ports/rule";
import { hostProbes } from "./rules/pss-host-probes/rule";
import { appArmor } from "./rules/pss-app-armor/rule";
import { seLinux } from "./rules/pss-selinux/rule";
import { procMount } from "./rules/pss-proc-mount/rule";
import { seccompBaseline } from "./rules/pss-seccomp-baseline/rule";
import { sysctls } from "./rules/pss-sysctls/rule";
import { volumeTypes } from "./rules/pss-volume-types/rule";
import { allowPrivilegeEscalation } from "./rules/pss-allow-privilege-escalation/rule";
import { runAsNonRoot } from "./rules/pss-run-as-non-root/rule";
import { runAsUser } from "./rules/pss-run-as-user/rule";
import { seccompRestricted } from "./rules/pss-seccomp-restricted/rule";
import { capabilitiesRestricted } from "./rules/pss-capabilities-restricted/rule";
import { procMountRestricted } from "./rules/pss-proc-mount-restricted/rule";
import { readOnlyRootFilesystem } from "./rules/read-only-root-filesystem/rule";
import { containerResources } from "./rules/container-resources/rule";
import { ephemeralStorage } from "./rules/ephemeral-storage/rule";
import { healthProbes } from "./rules/health-probes/rule";
import { noPlaintextSecrets } from "./rules/no-plaintext-secrets/rule";
import { automountServiceAccountToken } from "./rules/automount-service-account-token/rule";
import { imagePinned } from "./rules/image-pinned/rule";
import { allowedRegistries } from "./rules/allowed-registries/rule";
import { serviceExposure } from "./rules/service-exposure/rule";
import { networkPolicyCoverage } from "./rules/network-policy-coverage/rule";
import { networkDefaultDeny } from "./rules/network-default-deny/rule";
import { serviceSelector } from "./rules/service-selector/rule";
import { publicEntryInternalEndpoints } from "./rules/public-entry-internal-endpoints/rule";
import { noDefaultNamespace } from "./rules/no-default-namespace/rule";
import { namespacePodSecurity } from "./rules/namespace-pod-security/rule";
import { podDisruptionBudget } from "./rules/pod-disruption-budget/rule";
import { minimumReplicas } from "./rules/minimum-replicas/rule";

export const rules: readonly Rule[] = [
    // Pod Security Standards, baseline profile: one policy per check of pod-security-admission v0.37 (Kubernetes v1.37).
    hostProcess,
    hostNamespaces,
    privileged,
    capabilitiesBaseline,
    hostPathVolumes,
    hostPorts,
    hostProbes,
    appArmor,
    seLinux,
    procMount,
    seccompBaseline,
    sysctls,
    // Pod Security Standards, restricted profile.
    volumeTypes,
    allowPrivilegeEscalation,
    runAsNonRoot,
    runAsUser,
    seccompRestricted,
    capabilitiesRestricted,
    procMountRestricted,
    // Workload hygiene.
    readOnlyRootFilesystem,
    containerResources,
    ephemeralStorage,
    healthProbes,
    noPlaintextSecrets,
    automountServiceAccountToken,
    // Image provenance.
    imagePinned,
    allowedRegistries,
    // Network exposure and isolation.
    serviceExposure,
    networkPolicyCoverage,
    networkDefaultDeny,
    serviceSelector,
    publicEntryInternalEndpoints,
    // Namespaces.
    noDefaultNamespace,
    namespacePodSecurity,
    // Availability.
    podDisruptionBudget,
    minimumReplicas,
];

/** The policies handed to the PolicyPack. */
export const policies: Policies = rules.map((rule) => rule.policy);
