// pss-seccomp-restricted's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { pod, mainSecurity, addEphemeral, type Cases } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.pod-runtime-default": pod(),
    "pass.every-container-localhost": pod((s) => {
        delete s.securityContext.seccompProfile;
        mainSecurity(s).seccompProfile = { type: "Localhost", localhostProfile: "profiles/app.json" };
    }),
    "fail.seccomp-unset": pod((s) => {
        delete s.securityContext.seccompProfile;
    }),
    "fail.container-unconfined-overrides-pod": pod((s) => {
        mainSecurity(s).seccompProfile = { type: "Unconfined" };
    }),
    "fail.ephemeral-container-not-covered": pod((s) => {
        delete s.securityContext.seccompProfile;
        mainSecurity(s).seccompProfile = { type: "RuntimeDefault" };
        addEphemeral(s);
    }),
    "pass.windows-pod": pod((s) => {
        s.os = { name: "windows" };
        delete s.securityContext.seccompProfile;
    }),
    "fail.windows-pod-before-1-25": pod(
        (s) => {
            s.os = { name: "windows" };
            delete s.securityContext.seccompProfile;
        },
        { config: { version: "v1.24" } },
    ),
};
