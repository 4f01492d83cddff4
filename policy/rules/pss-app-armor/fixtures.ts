// pss-app-armor's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { type Cases, mainSecurity, pod } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.runtime-default-profile": pod((s) => {
        s.securityContext.appArmorProfile = { type: "RuntimeDefault" };
    }),
    "pass.localhost-annotation": pod((_, m) => {
        m.annotations = { "container.apparmor.security.beta.kubernetes.io/app": "localhost/k8s-app" };
    }),
    "fail.pod-profile-unconfined": pod(
        (s) => {
            s.securityContext.appArmorProfile = { type: "Unconfined" };
        },
        { reports: ['the pod sets securityContext.appArmorProfile.type="Unconfined". Use RuntimeDefault or Localhost.'] },
    ),
    "fail.container-profile-unconfined": pod(
        (s) => {
            mainSecurity(s).appArmorProfile = { type: "Unconfined" };
        },
        {
            reports: [
                'container "app" set securityContext.appArmorProfile.type to a profile other than RuntimeDefault or ' +
                    "Localhost. Use RuntimeDefault.",
            ],
        },
    ),
    "fail.annotation-unconfined": pod(
        (_, m) => {
            m.annotations = { "container.apparmor.security.beta.kubernetes.io/app": "unconfined" };
        },
        {
            reports: [
                'the annotation container.apparmor.security.beta.kubernetes.io/app="unconfined" overrides AppArmor. ' +
                    "Remove it or use runtime/default or localhost/<profile>.",
            ],
        },
    ),
    "pass.empty-annotation": pod((_, m) => {
        m.annotations = { "container.apparmor.security.beta.kubernetes.io/app": "" };
    }),
};
