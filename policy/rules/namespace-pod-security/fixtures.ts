// namespace-pod-security's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { stack, find, type Cases } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.enforces-restricted": stack(),
    "pass.baseline-when-configured": stack(
        (o) => {
            find(o, "Namespace").metadata.labels["pod-security.kubernetes.io/enforce"] = "baseline";
        },
        { config: { level: "baseline" } },
    ),
    "fail.no-enforce-label": stack((o) => {
        find(o, "Namespace").metadata.labels = {};
    }),
    "fail.enforces-privileged": stack((o) => {
        find(o, "Namespace").metadata.labels["pod-security.kubernetes.io/enforce"] = "privileged";
    }),
};
