// pss-capabilities-restricted as CEL for a ValidatingAdmissionPolicy (built by policy/admission/generate.ts), at the rule's defaults.
import { allContainers, type CelCheck, isWindows } from "../../admission/cel";

export const cel: CelCheck = {
    kinds: "pods",
    expression: `${isWindows} || ${allContainers(
        "has(c.securityContext) && has(c.securityContext.capabilities) && has(c.securityContext.capabilities.drop)" +
            " && 'ALL' in c.securityContext.capabilities.drop" +
            " && (!has(c.securityContext.capabilities.add) || c.securityContext.capabilities.add.all(a, a == 'NET_BIND_SERVICE'))",
    )}`,
    message: "Containers must drop ALL capabilities and may add back only NET_BIND_SERVICE.",
};
