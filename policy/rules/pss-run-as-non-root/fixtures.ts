// pss-run-as-non-root's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { addInit, type Cases, mainSecurity, pod } from "../../fixtures/fixture";

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
    "fail.container-overrides-to-false": pod(
        (s) => {
            mainSecurity(s).runAsNonRoot = false;
        },
        { reports: ['container "app" set securityContext.runAsNonRoot=false. Remove it or set true.'] },
    ),
    "fail.unset-everywhere": pod(
        (s) => {
            delete s.securityContext.runAsNonRoot;
            delete mainSecurity(s).runAsNonRoot;
        },
        { reports: ['neither the pod nor container "app" set securityContext.runAsNonRoot=true. Set it on the pod.'] },
    ),
    "fail.pod-false": pod(
        (s) => {
            s.securityContext.runAsNonRoot = false;
        },
        { reports: ["the pod sets securityContext.runAsNonRoot=false. Set it to true."] },
    ),
    "fail.user-namespace-before-1-35": pod(
        (s) => {
            s.hostUsers = false;
            delete s.securityContext.runAsNonRoot;
            delete mainSecurity(s).runAsNonRoot;
        },
        {
            config: { version: "v1.34" },
            reports: ['neither the pod nor container "app" set securityContext.runAsNonRoot=true. Set it on the pod.'],
        },
    ),
    "fail.init-container-not-covered": pod(
        (s) => {
            delete s.securityContext.runAsNonRoot;
            delete addInit(s).securityContext.runAsNonRoot;
        },
        { reports: ['neither the pod nor init container "init" set securityContext.runAsNonRoot=true. Set it on the pod.'] },
    ),
};
