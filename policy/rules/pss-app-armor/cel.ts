// pss-app-armor as CEL for a ValidatingAdmissionPolicy (built by policy/admission/generate.ts), at the rule's defaults.
import { allContainers, type CelCheck } from "../../admission/cel";

const appArmorOk = (profile: string) => `(${profile}.type in ['RuntimeDefault', 'Localhost'])`;

export const cel: CelCheck = {
    kinds: "pods",
    expression:
        "(!has(variables.spec.securityContext) || !has(variables.spec.securityContext.appArmorProfile) || " +
        `${appArmorOk("variables.spec.securityContext.appArmorProfile")})` +
        " && " +
        allContainers(
            `!has(c.securityContext) || !has(c.securityContext.appArmorProfile) || ${appArmorOk("c.securityContext.appArmorProfile")}`,
        ) +
        " && variables.annotations.all(k, !k.startsWith('container.apparmor.security.beta.kubernetes.io/') || " +
        "variables.annotations[k] == '' || variables.annotations[k] == 'runtime/default' || " +
        "variables.annotations[k].startsWith('localhost/'))",
    message: "Pods must not disable or override the default AppArmor profile.",
};
