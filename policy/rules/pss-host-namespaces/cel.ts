// pss-host-namespaces as CEL for a ValidatingAdmissionPolicy (built by policy/admission/generate.ts), at the rule's defaults.
import type { CelCheck } from "../../admission/cel";

export const cel: CelCheck = {
    kinds: "pods",
    expression:
        "!(variables.spec.?hostNetwork.orValue(false) || variables.spec.?hostPID.orValue(false) || " +
        "variables.spec.?hostIPC.orValue(false))",
    message: "Pods must not set hostNetwork, hostPID or hostIPC.",
};
