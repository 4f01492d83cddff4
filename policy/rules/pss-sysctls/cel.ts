// pss-sysctls as CEL for a ValidatingAdmissionPolicy (built by policy/admission/generate.ts), at the rule's defaults.
import { type CelCheck, podSc } from "../../admission/cel";
import { safeSysctls } from "./rule";

/** The sysctls v1.37 allows, as a CEL list (the pack's own table, so the two cannot drift). */
const safeSysctlList = `[${[...safeSysctls(37)].map((name) => `'${name}'`).join(", ")}]`;

export const cel: CelCheck = {
    kinds: "pods",
    expression: `${podSc("sysctls", "[]")}.all(s, s.name in ${safeSysctlList})`,
    message: "Pods may set only the safe sysctls of Kubernetes v1.37.",
};
