// pss-privileged as CEL for a ValidatingAdmissionPolicy (built by policy/admission/generate.ts), at the rule's defaults.
import { allContainers, type CelCheck, cSc } from "../../admission/cel";

export const cel: CelCheck = {
    kinds: "pods",
    expression: allContainers(`${cSc("privileged", "false")} == false`),
    message: "Containers must not set securityContext.privileged=true.",
};
