// The single-object rules of the catalogue as CEL, for ValidatingAdmissionPolicies the API server
// enforces on every write (kubectl apply included), not only on what goes through `pulumi`. Each rule that
// has a twin keeps it beside its check (policy/rules/<rule>/cel.ts), stated at the rule's default settings
// (for pss- rules: restricted, latest); rules that need the whole stack (NetworkPolicy coverage, Service
// selectors, budgets, replicas) or settings CEL cannot see stay in the pack only.
// test/e2e/admission-policies.test.ts applies the fixtures to the real API server and compares its verdicts
// with the pack's.
import { cel as pssHostProcess } from "../rules/pss-host-process/cel";
import { cel as pssHostNamespaces } from "../rules/pss-host-namespaces/cel";
import { cel as pssPrivileged } from "../rules/pss-privileged/cel";
import { cel as pssHostPorts } from "../rules/pss-host-ports/cel";
import { cel as pssHostProbes } from "../rules/pss-host-probes/cel";
import { cel as pssAppArmor } from "../rules/pss-app-armor/cel";
import { cel as pssSelinux } from "../rules/pss-selinux/cel";
import { cel as pssSysctls } from "../rules/pss-sysctls/cel";
import { cel as pssVolumeTypes } from "../rules/pss-volume-types/cel";
import { cel as pssAllowPrivilegeEscalation } from "../rules/pss-allow-privilege-escalation/cel";
import { cel as pssRunAsNonRoot } from "../rules/pss-run-as-non-root/cel";
import { cel as pssRunAsUser } from "../rules/pss-run-as-user/cel";
import { cel as pssSeccompRestricted } from "../rules/pss-seccomp-restricted/cel";
import { cel as pssCapabilitiesRestricted } from "../rules/pss-capabilities-restricted/cel";
import { cel as pssProcMountRestricted } from "../rules/pss-proc-mount-restricted/cel";
import { cel as readOnlyRootFilesystem } from "../rules/read-only-root-filesystem/cel";
import { cel as serviceExposure } from "../rules/service-exposure/cel";
import type { CelCheck } from "./cel";

export { type CelCheck, POD_KINDS, POD_VARIABLES } from "./cel";

/** The CEL twins by rule name, in the order the policies are generated. */
export const CEL_CHECKS: Readonly<Record<string, CelCheck>> = {
    "pss-host-process": pssHostProcess,
    "pss-host-namespaces": pssHostNamespaces,
    "pss-privileged": pssPrivileged,
    "pss-host-ports": pssHostPorts,
    "pss-host-probes": pssHostProbes,
    "pss-app-armor": pssAppArmor,
    "pss-selinux": pssSelinux,
    "pss-sysctls": pssSysctls,
    "pss-volume-types": pssVolumeTypes,
    "pss-allow-privilege-escalation": pssAllowPrivilegeEscalation,
    "pss-run-as-non-root": pssRunAsNonRoot,
    "pss-run-as-user": pssRunAsUser,
    "pss-seccomp-restricted": pssSeccompRestricted,
    "pss-capabilities-restricted": pssCapabilitiesRestricted,
    "pss-proc-mount-restricted": pssProcMountRestricted,
    "read-only-root-filesystem": readOnlyRootFilesystem,
    "service-exposure": serviceExposure,
};
