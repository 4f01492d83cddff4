// pss-selinux's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { addInit, type Cases, mainSecurity, pod } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.container-t-type": pod((s) => {
        s.securityContext.seLinuxOptions = { type: "container_t", level: "s0:c123,c456" };
    }),
    "pass.container-engine-t-type": pod((s) => {
        mainSecurity(s).seLinuxOptions = { type: "container_engine_t" };
    }),
    "fail.container-engine-t-before-1-31": pod(
        (s) => {
            mainSecurity(s).seLinuxOptions = { type: "container_engine_t" };
        },
        {
            config: { version: "v1.30" },
            reports: [
                'container "app" sets forbidden securityContext.seLinuxOptions (type "container_engine_t"). ' +
                    "Remove user and role; use an allowed container type.",
            ],
        },
    ),
    "fail.spc-t-type": pod(
        (s) => {
            s.securityContext.seLinuxOptions = { type: "spc_t" };
        },
        {
            reports: [
                'the pod sets forbidden securityContext.seLinuxOptions (type "spc_t"). ' +
                    "Remove user and role; use an allowed container type.",
            ],
        },
    ),
    "fail.container-sets-user": pod(
        (s) => {
            mainSecurity(s).seLinuxOptions = { user: "system_u" };
        },
        {
            reports: [
                'container "app" sets forbidden securityContext.seLinuxOptions (user "system_u"). ' +
                    "Remove user and role; use an allowed container type.",
            ],
        },
    ),
    "fail.init-container-sets-role": pod(
        (s) => {
            addInit(s).securityContext.seLinuxOptions = { role: "system_r" };
        },
        {
            reports: [
                'init container "init" sets forbidden securityContext.seLinuxOptions (role "system_r"). ' +
                    "Remove user and role; use an allowed container type.",
            ],
        },
    ),
};
