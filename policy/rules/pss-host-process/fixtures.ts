// pss-host-process's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { addEphemeral, type Cases, pod } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.host-process-unset": pod(),
    "pass.host-process-false": pod((s) => {
        s.securityContext.windowsOptions = { hostProcess: false };
    }),
    "fail.pod-host-process-true": pod(
        (s) => {
            s.securityContext.windowsOptions = { hostProcess: true };
        },
        {
            reports: [
                "the pod sets securityContext.windowsOptions.hostProcess=true. " +
                    "Remove it (or set false): HostProcess pods control the node.",
            ],
        },
    ),
    "fail.ephemeral-container-host-process-true": pod(
        (s) => {
            addEphemeral(s).securityContext.windowsOptions = { hostProcess: true };
        },
        { reports: ['ephemeral container "debug" set securityContext.windowsOptions.hostProcess=true. ' + "Remove it (or set false)."] },
    ),
};
