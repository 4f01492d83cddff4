// pss-selinux as CEL for a ValidatingAdmissionPolicy (built by policy/admission/generate.ts), at the rule's defaults.
import { allContainers, type CelCheck } from "../../admission/cel";

const seLinuxOk = (o: string) =>
    `((!has(${o}.type) || ${o}.type in ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'])` +
    ` && (!has(${o}.user) || ${o}.user == '') && (!has(${o}.role) || ${o}.role == ''))`;

export const cel: CelCheck = {
    kinds: "pods",
    expression:
        "(!has(variables.spec.securityContext) || !has(variables.spec.securityContext.seLinuxOptions) || " +
        `${seLinuxOk("variables.spec.securityContext.seLinuxOptions")})` +
        " && " +
        allContainers(
            `!has(c.securityContext) || !has(c.securityContext.seLinuxOptions) || ${seLinuxOk("c.securityContext.seLinuxOptions")}`,
        ),
    message: "Pods must not set a custom SELinux user or role, or a type other than the container types.",
};
