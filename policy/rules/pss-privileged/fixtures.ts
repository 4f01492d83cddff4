// pss-privileged's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { pod, mainSecurity, addInit, type Cases } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.privileged-false": pod((s) => {
        mainSecurity(s).privileged = false;
    }),
    "fail.privileged-true": pod((s) => {
        mainSecurity(s).privileged = true;
    }),
    "fail.init-container-privileged": pod((s) => {
        addInit(s).securityContext.privileged = true;
    }),
};
