// network-policy-coverage's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { stack, find, type Cases } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.selected-by-policy": stack(),
    "pass.namespace-wide-policy": stack((o) => {
        o.splice(o.indexOf(find(o, "NetworkPolicy", "fixture")), 1);
    }),
    "fail.no-policy-selects-pods": stack((o) => {
        o.splice(o.indexOf(find(o, "NetworkPolicy", "default-deny")), 1);
        find(o, "NetworkPolicy", "fixture").spec.podSelector = { matchLabels: { "app.kubernetes.io/name": "other" } };
    }),
    "fail.policy-in-another-namespace": stack((o) => {
        o.splice(o.indexOf(find(o, "NetworkPolicy", "default-deny")), 1);
        find(o, "NetworkPolicy", "fixture").metadata.namespace = "elsewhere";
    }),
};
