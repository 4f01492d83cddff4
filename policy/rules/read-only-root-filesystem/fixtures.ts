// read-only-root-filesystem's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { pod, mainSecurity, addInit, type Cases } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.read-only-root": pod(),
    "fail.writable-root": pod((s) => {
        mainSecurity(s).readOnlyRootFilesystem = false;
    }),
    "fail.init-container-root-unset": pod((s) => {
        delete addInit(s).securityContext.readOnlyRootFilesystem;
    }),
};
