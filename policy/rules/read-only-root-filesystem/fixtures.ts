// read-only-root-filesystem's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { addInit, type Cases, mainSecurity, pod } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.read-only-root": pod(),
    "fail.writable-root": pod(
        (s) => {
            mainSecurity(s).readOnlyRootFilesystem = false;
        },
        {
            reports: [
                'container "app" must set securityContext.readOnlyRootFilesystem=true; mount an emptyDir where the ' + "process writes.",
            ],
        },
    ),
    "fail.init-container-root-unset": pod(
        (s) => {
            delete addInit(s).securityContext.readOnlyRootFilesystem;
        },
        {
            reports: [
                'init container "init" must set securityContext.readOnlyRootFilesystem=true; mount an emptyDir where ' +
                    "the process writes.",
            ],
        },
    ),
};
