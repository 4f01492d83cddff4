// namespace-pod-security's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { type Cases, find, stack } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.enforces-restricted": stack(),
    "pass.baseline-when-configured": stack(
        (o) => {
            find(o, "Namespace").metadata.labels["pod-security.kubernetes.io/enforce"] = "baseline";
        },
        { config: { level: "baseline" } },
    ),
    "fail.no-enforce-label": stack(
        (o) => {
            find(o, "Namespace").metadata.labels = {};
        },
        {
            reports: [
                "Namespace apps: has no pod-security.kubernetes.io/enforce label, so admission enforces nothing. " +
                    "Label it pod-security.kubernetes.io/enforce: restricted.",
            ],
        },
    ),
    "fail.enforces-privileged": stack(
        (o) => {
            find(o, "Namespace").metadata.labels["pod-security.kubernetes.io/enforce"] = "privileged";
        },
        {
            reports: [
                'Namespace apps: enforces "privileged", below the required "restricted". ' +
                    "Set pod-security.kubernetes.io/enforce: restricted.",
            ],
        },
    ),
};
