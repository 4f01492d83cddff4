// pss-host-ports as CEL for a ValidatingAdmissionPolicy (built by policy/admission/generate.ts), at the rule's defaults.
import { allContainers, type CelCheck } from "../../admission/cel";

export const cel: CelCheck = {
    kinds: "pods",
    expression: allContainers("!has(c.ports) || c.ports.all(p, !has(p.hostPort) || p.hostPort == 0)"),
    message: "Containers must not set hostPort.",
};
