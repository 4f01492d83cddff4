// pss-proc-mount's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { addInit, type Cases, mainSecurity, pod } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.proc-mount-default": pod(
        (s) => {
            mainSecurity(s).procMount = "Default";
        },
        { config: { profile: "baseline" } },
    ),
    "pass.unmasked-in-user-namespace": pod(
        (s) => {
            s.hostUsers = false;
            mainSecurity(s).procMount = "Unmasked";
        },
        { config: { profile: "baseline" } },
    ),
    "pass.left-to-the-restricted-control-under-restricted": pod((s) => {
        mainSecurity(s).procMount = "Unmasked";
    }),
    "fail.proc-mount-unmasked": pod(
        (s) => {
            mainSecurity(s).procMount = "Unmasked";
        },
        {
            config: { profile: "baseline" },
            reports: ['container "app" set securityContext.procMount to a non-default type. Remove it or set Default.'],
        },
    ),
    "fail.unmasked-in-user-namespace-before-1-35": pod(
        (s) => {
            s.hostUsers = false;
            mainSecurity(s).procMount = "Unmasked";
        },
        {
            config: { profile: "baseline", version: "v1.34" },
            reports: ['container "app" set securityContext.procMount to a non-default type. Remove it or set Default.'],
        },
    ),
    "fail.unmasked-under-restricted-before-1-35": pod(
        (s) => {
            addInit(s).securityContext.procMount = "Unmasked";
        },
        {
            config: { version: "v1.34" },
            reports: ['init container "init" set securityContext.procMount to a non-default type. Remove it or set Default.'],
        },
    ),
};
