// pss-proc-mount-restricted's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { addEphemeral, type Cases, mainSecurity, pod } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.proc-mount-default": pod((s) => {
        mainSecurity(s).procMount = "Default";
    }),
    "pass.not-a-check-before-1-35": pod(
        (s) => {
            mainSecurity(s).procMount = "Unmasked";
        },
        { config: { version: "v1.34" } },
    ),
    "fail.proc-mount-unmasked": pod(
        (s) => {
            mainSecurity(s).procMount = "Unmasked";
        },
        { reports: ['container "app" set securityContext.procMount to a non-default type. Remove it or set Default.'] },
    ),
    "fail.unmasked-in-user-namespace": pod(
        (s) => {
            s.hostUsers = false;
            addEphemeral(s).securityContext.procMount = "Unmasked";
        },
        { reports: ['ephemeral container "debug" set securityContext.procMount to a non-default type. ' + "Remove it or set Default."] },
    ),
};
