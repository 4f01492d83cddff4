// pss-seccomp-baseline's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { pod, mainSecurity, type Cases } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.seccomp-unset-under-baseline": pod(
        (s) => {
            delete s.securityContext.seccompProfile;
        },
        { config: { profile: "baseline" } },
    ),
    "pass.left-to-the-restricted-control-under-restricted": pod((s) => {
        s.securityContext.seccompProfile = { type: "Unconfined" };
    }),
    "fail.pod-seccomp-unconfined": pod(
        (s) => {
            s.securityContext.seccompProfile = { type: "Unconfined" };
        },
        { config: { profile: "baseline" } },
    ),
    "fail.container-seccomp-unconfined": pod(
        (s) => {
            mainSecurity(s).seccompProfile = { type: "Unconfined" };
        },
        { config: { profile: "baseline" } },
    ),
    "pass.unconfined-annotation-ignored-since-1-19": pod(
        (_, m) => {
            m.annotations = { "seccomp.security.alpha.kubernetes.io/pod": "unconfined" };
        },
        { config: { profile: "baseline" } },
    ),
    "fail.unconfined-annotation-before-1-19": pod(
        (_, m) => {
            m.annotations = { "container.seccomp.security.alpha.kubernetes.io/app": "unconfined" };
        },
        { config: { profile: "baseline", version: "v1.18" } },
    ),
};
