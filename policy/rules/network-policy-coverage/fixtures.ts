// network-policy-coverage's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { type Cases, find, stack } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.selected-by-policy": stack(),
    "pass.namespace-wide-policy": stack((o) => {
        o.splice(o.indexOf(find(o, "NetworkPolicy", "fixture")), 1);
    }),
    "fail.no-policy-selects-pods": stack(
        (o) => {
            o.splice(o.indexOf(find(o, "NetworkPolicy", "default-deny")), 1);
            find(o, "NetworkPolicy", "fixture").spec.podSelector = { matchLabels: { "app.kubernetes.io/name": "other" } };
        },
        {
            reports: [
                "Deployment apps/fixture: no NetworkPolicy selects its pods. " +
                    "Add one whose podSelector matches the pod template's labels.",
            ],
        },
    ),
    "fail.policy-in-another-namespace": stack(
        (o) => {
            o.splice(o.indexOf(find(o, "NetworkPolicy", "default-deny")), 1);
            find(o, "NetworkPolicy", "fixture").metadata.namespace = "elsewhere";
        },
        {
            reports: [
                "Deployment apps/fixture: no NetworkPolicy selects its pods. " +
                    "Add one whose podSelector matches the pod template's labels.",
            ],
        },
    ),
};
