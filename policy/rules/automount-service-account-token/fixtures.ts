// automount-service-account-token's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { type K8sObject, NAMESPACE, pod, type Cases } from "../../fixtures/fixture";

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
    "fail.automount-unset": pod((s) => {
        delete s.automountServiceAccountToken;
    }),
    "fail.service-account-automount-unset": { objects: [serviceAccount()] },
};
