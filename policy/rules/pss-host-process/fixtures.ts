// pss-host-process's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { pod, addEphemeral, type Cases } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.host-process-unset": pod(),
    "pass.host-process-false": pod((s) => {
        s.securityContext.windowsOptions = { hostProcess: false };
    }),
    "fail.pod-host-process-true": pod((s) => {
        s.securityContext.windowsOptions = { hostProcess: true };
    }),
    "fail.ephemeral-container-host-process-true": pod((s) => {
        addEphemeral(s).securityContext.windowsOptions = { hostProcess: true };
    }),
};
