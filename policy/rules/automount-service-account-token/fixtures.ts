// automount-service-account-token's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { type Cases, type K8sObject, NAMESPACE, pod } from "../../fixtures/fixture";

const serviceAccount = (extra: K8sObject = {}): K8sObject => ({
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name: "fixture", namespace: NAMESPACE },
    ...extra,
});

export const cases: Cases = {
    "pass.automount-false": pod(),
    "pass.explicit-opt-in": pod((s) => {
        s.automountServiceAccountToken = true;
    }),
    "pass.service-account-automount-false": { objects: [serviceAccount({ automountServiceAccountToken: false })] },
    "fail.automount-unset": pod(
        (s) => {
            delete s.automountServiceAccountToken;
        },
        {
            reports: [
                "the pod spec does not set automountServiceAccountToken, so the API token is mounted. " +
                    "Set it to false (or true to opt in).",
            ],
        },
    ),
    "fail.service-account-automount-unset": {
        objects: [serviceAccount()],
        reports: [
            "ServiceAccount apps/fixture: the ServiceAccount does not set automountServiceAccountToken, so the " +
                "API token is mounted. Set it to false (or true to opt in).",
        ],
    },
};
