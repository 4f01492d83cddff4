// pss-allow-privilege-escalation's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { pod, mainSecurity, addInit, type Cases } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.escalation-false": pod(),
    "pass.windows-pod": pod((s) => {
        s.os = { name: "windows" };
        delete mainSecurity(s).allowPrivilegeEscalation;
    }),
    "fail.escalation-unset": pod((s) => {
        delete mainSecurity(s).allowPrivilegeEscalation;
    }),
    "fail.escalation-true": pod((s) => {
        mainSecurity(s).allowPrivilegeEscalation = true;
    }),
    "fail.windows-pod-before-1-25": pod(
        (s) => {
            s.os = { name: "windows" };
            delete mainSecurity(s).allowPrivilegeEscalation;
        },
        { config: { version: "v1.24" } },
    ),
    "fail.init-container-escalation-unset": pod((s) => {
        delete addInit(s).securityContext.allowPrivilegeEscalation;
    }),
};
