// pss-privileged's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { addInit, type Cases, mainSecurity, pod } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.privileged-false": pod((s) => {
        mainSecurity(s).privileged = false;
    }),
    "fail.privileged-true": pod(
        (s) => {
            mainSecurity(s).privileged = true;
        },
        { reports: ['container "app" set securityContext.privileged=true. Remove it (or set false).'] },
    ),
    "fail.init-container-privileged": pod(
        (s) => {
            addInit(s).securityContext.privileged = true;
        },
        { reports: ['init container "init" set securityContext.privileged=true. Remove it (or set false).'] },
    ),
};
