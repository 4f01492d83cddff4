// pss-seccomp-restricted as CEL for a ValidatingAdmissionPolicy (built by policy/admission/generate.ts), at the rule's defaults.
import { allContainers, type CelCheck, isWindows } from "../../admission/cel";

const seccompOk = (profile: string) => `(${profile}.type in ['RuntimeDefault', 'Localhost'])`;

export const cel: CelCheck = {
    kinds: "pods",
    expression:
        `${isWindows} || ((!has(variables.spec.securityContext) || !has(variables.spec.securityContext.seccompProfile) || ` +
        `${seccompOk("variables.spec.securityContext.seccompProfile")})` +
        " && " +
        allContainers(
            `has(c.securityContext) && has(c.securityContext.seccompProfile) ? ${seccompOk("c.securityContext.seccompProfile")}` +
                " : (has(variables.spec.securityContext) && has(variables.spec.securityContext.seccompProfile))",
        ) +
        ")",
    message: "A seccomp profile (RuntimeDefault or Localhost) must be set on the pod or every container.",
};
