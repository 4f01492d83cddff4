// service-exposure as CEL for a ValidatingAdmissionPolicy (built by policy/admission/generate.ts), at the rule's defaults.
import type { CelCheck } from "../../admission/cel";

export const cel: CelCheck = {
    kinds: [{ kind: "Service", group: "", version: "v1", resource: "services" }],
    expression: "!has(object.spec.type) || !(object.spec.type in ['LoadBalancer', 'NodePort'])",
    message: "Services must not be of type LoadBalancer or NodePort.",
};
