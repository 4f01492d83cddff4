// Reading NetworkPolicies, as the network rules share it.
import type { StackObject } from "./rule";
import { labelSelector, type Selector } from "./selectors";
import { at, UNKNOWN } from "./values";

/** A NetworkPolicy's pod selector; an absent podSelector selects every pod, like an empty one. */
export function podSelectorOf(policy: StackObject): Selector {
    const spec = at(policy.props, "spec");
    if (spec === UNKNOWN) {
        return UNKNOWN;
    }
    return labelSelector(at(spec, "podSelector")) ?? { requirements: [] };
}
