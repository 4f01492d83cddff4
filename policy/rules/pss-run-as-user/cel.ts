// pss-run-as-user as CEL for a ValidatingAdmissionPolicy (built by policy/admission/generate.ts), at the rule's defaults.
import { allContainers, type CelCheck, cSc, inUserNamespace, podSc } from "../../admission/cel";

export const cel: CelCheck = {
    kinds: "pods",
    expression: `${inUserNamespace} || (${podSc("runAsUser", "1")} != 0 && ${allContainers(`${cSc("runAsUser", "1")} != 0`)})`,
    message: "Pods and containers must not set runAsUser=0.",
};
