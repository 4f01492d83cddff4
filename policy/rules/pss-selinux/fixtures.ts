// pss-selinux's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { pod, mainSecurity, addInit, type Cases } from "../../fixtures/fixture";

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
        { config: { version: "v1.30" } },
    ),
    "fail.spc-t-type": pod((s) => {
        s.securityContext.seLinuxOptions = { type: "spc_t" };
    }),
    "fail.container-sets-user": pod((s) => {
        mainSecurity(s).seLinuxOptions = { user: "system_u" };
    }),
    "fail.init-container-sets-role": pod((s) => {
        addInit(s).securityContext.seLinuxOptions = { role: "system_r" };
    }),
};
