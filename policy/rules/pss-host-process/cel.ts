// pss-host-process as CEL for a ValidatingAdmissionPolicy (built by policy/admission/generate.ts), at the rule's defaults.
import { allContainers, type CelCheck } from "../../admission/cel";

export const cel: CelCheck = {
    kinds: "pods",
    expression:
        "variables.spec.?securityContext.?windowsOptions.?hostProcess.orValue(false) == false && " +
        allContainers("c.?securityContext.?windowsOptions.?hostProcess.orValue(false) == false"),
    message: "Pods must not run Windows HostProcess containers (securityContext.windowsOptions.hostProcess).",
};
