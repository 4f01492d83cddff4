// network-default-deny's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { type Cases, find, stack } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.default-deny-present": stack(),
    "fail.no-default-deny": stack(
        (o) => {
            o.splice(o.indexOf(find(o, "NetworkPolicy", "default-deny")), 1);
        },
        {
            reports: [
                'Namespace apps: namespace "apps" runs workloads but has no default-deny NetworkPolicy. ' +
                    "Add one with podSelector: {} and policyTypes [Ingress, Egress].",
            ],
        },
    ),
    "fail.deny-ingress-only": stack(
        (o) => {
            find(o, "NetworkPolicy", "default-deny").spec.policyTypes = ["Ingress"];
        },
        {
            reports: [
                'Namespace apps: namespace "apps" runs workloads but has no default-deny NetworkPolicy. ' +
                    "Add one with podSelector: {} and policyTypes [Ingress, Egress].",
            ],
        },
    ),
    "fail.empty-selector-allowing-all": stack(
        (o) => {
            find(o, "NetworkPolicy", "default-deny").spec.ingress = [{}];
        },
        {
            reports: [
                'Namespace apps: namespace "apps" runs workloads but has no default-deny NetworkPolicy. ' +
                    "Add one with podSelector: {} and policyTypes [Ingress, Egress].",
            ],
        },
    ),
};
