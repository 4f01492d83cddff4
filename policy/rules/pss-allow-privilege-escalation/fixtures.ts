// pss-allow-privilege-escalation's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { addInit, type Cases, mainSecurity, pod } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.escalation-false": pod(),
    "pass.windows-pod": pod((s) => {
        s.os = { name: "windows" };
        delete mainSecurity(s).allowPrivilegeEscalation;
    }),
    "fail.escalation-unset": pod(
        (s) => {
            delete mainSecurity(s).allowPrivilegeEscalation;
        },
        { reports: ['container "app" must set securityContext.allowPrivilegeEscalation=false.'] },
    ),
    "fail.escalation-true": pod(
        (s) => {
            mainSecurity(s).allowPrivilegeEscalation = true;
        },
        { reports: ['container "app" must set securityContext.allowPrivilegeEscalation=false.'] },
    ),
    "fail.windows-pod-before-1-25": pod(
        (s) => {
            s.os = { name: "windows" };
            delete mainSecurity(s).allowPrivilegeEscalation;
        },
        { config: { version: "v1.24" }, reports: ['container "app" must set securityContext.allowPrivilegeEscalation=false.'] },
    ),
    "fail.init-container-escalation-unset": pod(
        (s) => {
            delete addInit(s).securityContext.allowPrivilegeEscalation;
        },
        { reports: ['init container "init" must set securityContext.allowPrivilegeEscalation=false.'] },
    ),
};
