// pss-proc-mount-restricted as CEL for a ValidatingAdmissionPolicy (built by policy/admission/generate.ts), at the rule's defaults.
import { allContainers, type CelCheck, cSc } from "../../admission/cel";

export const cel: CelCheck = {
    kinds: "pods",
    expression: allContainers(`${cSc("procMount", "'Default'")} == 'Default'`),
    message: "Containers must keep the default /proc mount (procMount Default).",
};
