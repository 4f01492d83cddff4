// pss-run-as-user's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { pod, mainSecurity, type Cases } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.non-zero-uid": pod(),
    "fail.pod-run-as-root": pod((s) => {
        s.securityContext.runAsUser = 0;
    }),
    "fail.container-run-as-root": pod((s) => {
        mainSecurity(s).runAsUser = 0;
    }),
    "pass.root-in-user-namespace": pod((s) => {
        s.hostUsers = false;
        s.securityContext.runAsUser = 0;
    }),
    "fail.root-in-user-namespace-before-1-35": pod(
        (s) => {
            s.hostUsers = false;
            s.securityContext.runAsUser = 0;
        },
        { config: { version: "v1.34" } },
    ),
    "pass.not-a-check-before-1-23": pod(
        (s) => {
            s.securityContext.runAsUser = 0;
        },
        { config: { version: "v1.22" } },
    ),
};
