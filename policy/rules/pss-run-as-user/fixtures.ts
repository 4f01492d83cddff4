// pss-run-as-user's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { type Cases, mainSecurity, pod } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.non-zero-uid": pod(),
    "fail.pod-run-as-root": pod(
        (s) => {
            s.securityContext.runAsUser = 0;
        },
        { reports: ["the pod sets securityContext.runAsUser=0. Use a non-zero UID."] },
    ),
    "fail.container-run-as-root": pod(
        (s) => {
            mainSecurity(s).runAsUser = 0;
        },
        { reports: ['container "app" set securityContext.runAsUser=0. Use a non-zero UID.'] },
    ),
    "pass.root-in-user-namespace": pod((s) => {
        s.hostUsers = false;
        s.securityContext.runAsUser = 0;
    }),
    "fail.root-in-user-namespace-before-1-35": pod(
        (s) => {
            s.hostUsers = false;
            s.securityContext.runAsUser = 0;
        },
        { config: { version: "v1.34" }, reports: ["the pod sets securityContext.runAsUser=0. Use a non-zero UID."] },
    ),
    "pass.not-a-check-before-1-23": pod(
        (s) => {
            s.securityContext.runAsUser = 0;
        },
        { config: { version: "v1.22" } },
    ),
};
