// pss-seccomp-baseline's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { type Cases, mainSecurity, pod } from "../../fixtures/fixture";

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
        {
            config: { profile: "baseline" },
            reports: ['the pod sets securityContext.seccompProfile.type="Unconfined". Use RuntimeDefault or Localhost.'],
        },
    ),
    "fail.container-seccomp-unconfined": pod(
        (s) => {
            mainSecurity(s).seccompProfile = { type: "Unconfined" };
        },
        {
            config: { profile: "baseline" },
            reports: [
                'container "app" set securityContext.seccompProfile.type to a profile other than RuntimeDefault or ' +
                    "Localhost. Use RuntimeDefault.",
            ],
        },
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
        {
            config: { profile: "baseline", version: "v1.18" },
            reports: [
                'the annotations container.seccomp.security.alpha.kubernetes.io/app="unconfined" disable seccomp. ' +
                    "Use runtime/default or localhost/<profile>.",
            ],
        },
    ),
};
