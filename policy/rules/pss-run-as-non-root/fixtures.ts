// pss-run-as-non-root's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { pod, mainSecurity, addInit, type Cases } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.pod-level-non-root": pod((s) => {
        delete mainSecurity(s).runAsNonRoot;
    }),
    "pass.every-container-non-root": pod((s) => {
        delete s.securityContext.runAsNonRoot;
    }),
    "pass.user-namespace": pod((s) => {
        s.hostUsers = false;
        delete s.securityContext.runAsNonRoot;
        delete mainSecurity(s).runAsNonRoot;
    }),
    "fail.container-overrides-to-false": pod((s) => {
        mainSecurity(s).runAsNonRoot = false;
    }),
    "fail.unset-everywhere": pod((s) => {
        delete s.securityContext.runAsNonRoot;
        delete mainSecurity(s).runAsNonRoot;
    }),
    "fail.pod-false": pod((s) => {
        s.securityContext.runAsNonRoot = false;
    }),
    "fail.user-namespace-before-1-35": pod(
        (s) => {
            s.hostUsers = false;
            delete s.securityContext.runAsNonRoot;
            delete mainSecurity(s).runAsNonRoot;
        },
        { config: { version: "v1.34" } },
    ),
    "fail.init-container-not-covered": pod((s) => {
        delete s.securityContext.runAsNonRoot;
        delete addInit(s).securityContext.runAsNonRoot;
    }),
};
