// pss-allow-privilege-escalation as CEL for a ValidatingAdmissionPolicy (built by policy/admission/generate.ts), at the rule's defaults.
import { allContainers, type CelCheck, cSc, isWindows } from "../../admission/cel";

export const cel: CelCheck = {
    kinds: "pods",
    expression: `${isWindows} || ${allContainers(`${cSc("allowPrivilegeEscalation", "true")} == false`)}`,
    message: "Containers must set securityContext.allowPrivilegeEscalation=false.",
};
