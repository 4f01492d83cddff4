// pss-seccomp-restricted's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { addEphemeral, type Cases, mainSecurity, pod } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.pod-runtime-default": pod(),
    "pass.every-container-localhost": pod((s) => {
        delete s.securityContext.seccompProfile;
        mainSecurity(s).seccompProfile = { type: "Localhost", localhostProfile: "profiles/app.json" };
    }),
    "fail.seccomp-unset": pod(
        (s) => {
            delete s.securityContext.seccompProfile;
        },
        { reports: ['neither the pod nor container "app" set securityContext.seccompProfile.type. ' + "Set RuntimeDefault on the pod."] },
    ),
    "fail.container-unconfined-overrides-pod": pod(
        (s) => {
            mainSecurity(s).seccompProfile = { type: "Unconfined" };
        },
        {
            reports: [
                'container "app" set securityContext.seccompProfile.type to a profile other than RuntimeDefault or ' +
                    "Localhost. Use RuntimeDefault.",
            ],
        },
    ),
    "fail.ephemeral-container-not-covered": pod(
        (s) => {
            delete s.securityContext.seccompProfile;
            mainSecurity(s).seccompProfile = { type: "RuntimeDefault" };
            addEphemeral(s);
        },
        {
            reports: [
                'neither the pod nor ephemeral container "debug" set securityContext.seccompProfile.type. ' +
                    "Set RuntimeDefault on the pod.",
            ],
        },
    ),
    "pass.windows-pod": pod((s) => {
        s.os = { name: "windows" };
        delete s.securityContext.seccompProfile;
    }),
    "fail.windows-pod-before-1-25": pod(
        (s) => {
            s.os = { name: "windows" };
            delete s.securityContext.seccompProfile;
        },
        {
            config: { version: "v1.24" },
            reports: ['neither the pod nor container "app" set securityContext.seccompProfile.type. ' + "Set RuntimeDefault on the pod."],
        },
    ),
};
