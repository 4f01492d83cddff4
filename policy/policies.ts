// The pack's catalogue: every rule, in the order the CLI reports them. Add a rule to its family's list.
import type { Policies } from "@pulumi/policy";
import type { Rule } from "./lib/rule";
import { AVAILABILITY_RULES } from "./rules/availability";
import { IMAGE_RULES } from "./rules/image";
import { NAMESPACE_RULES } from "./rules/namespace";
import { NETWORK_RULES } from "./rules/network";
import { BASELINE_RULES } from "./rules/pod-security-baseline";
import { RESTRICTED_RULES } from "./rules/pod-security-restricted";
import { WORKLOAD_RULES } from "./rules/workload";

export const rules: readonly Rule[] = [
    ...BASELINE_RULES,
    ...RESTRICTED_RULES,
    ...WORKLOAD_RULES,
    ...IMAGE_RULES,
    ...NETWORK_RULES,
    ...NAMESPACE_RULES,
    ...AVAILABILITY_RULES,
];

/** The policies handed to the PolicyPack. */
export const policies: Policies = rules.map((rule) => rule.policy);
