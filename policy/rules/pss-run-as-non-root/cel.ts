// pss-run-as-non-root as CEL for a ValidatingAdmissionPolicy (built by policy/admission/generate.ts), at the rule's defaults.
import { allContainers, type CelCheck, cSc, inUserNamespace, podSc } from "../../admission/cel";

export const cel: CelCheck = {
    kinds: "pods",
    expression:
        `${inUserNamespace} || (${podSc("runAsNonRoot", "true")} != false && ` +
        `${allContainers(cSc("runAsNonRoot", podSc("runAsNonRoot", "false")))})`,
    message: "Containers must run as non-root: set securityContext.runAsNonRoot=true on the pod or every container.",
};
