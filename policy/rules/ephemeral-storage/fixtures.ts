// ephemeral-storage's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { addEphemeral, addInit, type Cases, pod } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.requests-and-limits": pod(),
    "pass.ephemeral-debug-container-unbounded": pod((s) => {
        addEphemeral(s);
    }),
    "fail.no-ephemeral-storage": pod(
        (s) => {
            s.containers[0].resources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } };
        },
        {
            reports: [
                'container "app" does not set resources requests.ephemeral-storage or limits.ephemeral-storage. ' +
                    "Set both, so its disk use is bounded.",
            ],
        },
    ),
    "fail.init-container-without-limit": pod(
        (s) => {
            delete addInit(s).resources.limits["ephemeral-storage"];
        },
        { reports: ['init container "init" does not set resources limits.ephemeral-storage. ' + "Set both, so its disk use is bounded."] },
    ),
    "fail.limit-below-request": pod(
        (s) => {
            s.containers[0].resources.limits["ephemeral-storage"] = "32Mi";
        },
        {
            reports: [
                'container "app": limits.ephemeral-storage 32Mi is below requests.ephemeral-storage 64Mi. ' +
                    "Raise the limit to at least the request.",
            ],
        },
    ),
};
