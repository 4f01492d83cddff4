// pss-app-armor's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { pod, mainSecurity, type Cases } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.runtime-default-profile": pod((s) => {
        s.securityContext.appArmorProfile = { type: "RuntimeDefault" };
    }),
    "pass.localhost-annotation": pod((_, m) => {
        m.annotations = { "container.apparmor.security.beta.kubernetes.io/app": "localhost/k8s-app" };
    }),
    "fail.pod-profile-unconfined": pod((s) => {
        s.securityContext.appArmorProfile = { type: "Unconfined" };
    }),
    "fail.container-profile-unconfined": pod((s) => {
        mainSecurity(s).appArmorProfile = { type: "Unconfined" };
    }),
    "fail.annotation-unconfined": pod((_, m) => {
        m.annotations = { "container.apparmor.security.beta.kubernetes.io/app": "unconfined" };
    }),
    "pass.empty-annotation": pod((_, m) => {
        m.annotations = { "container.apparmor.security.beta.kubernetes.io/app": "" };
    }),
};
