// pss-proc-mount-restricted's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { pod, mainSecurity, addEphemeral, type Cases } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.proc-mount-default": pod((s) => {
        mainSecurity(s).procMount = "Default";
    }),
    "pass.not-a-check-before-1-35": pod(
        (s) => {
            mainSecurity(s).procMount = "Unmasked";
        },
        { config: { version: "v1.34" } },
    ),
    "fail.proc-mount-unmasked": pod((s) => {
        mainSecurity(s).procMount = "Unmasked";
    }),
    "fail.unmasked-in-user-namespace": pod((s) => {
        s.hostUsers = false;
        addEphemeral(s).securityContext.procMount = "Unmasked";
    }),
};
