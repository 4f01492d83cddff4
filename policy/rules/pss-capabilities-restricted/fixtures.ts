// pss-capabilities-restricted's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { addInit, type Cases, mainSecurity, pod } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.drop-all-add-net-bind": pod((s) => {
        mainSecurity(s).capabilities.add = ["NET_BIND_SERVICE"];
    }),
    "fail.drop-missing": pod(
        (s) => {
            delete mainSecurity(s).capabilities;
        },
        { reports: ['container "app" must drop ALL capabilities (securityContext.capabilities.drop: ["ALL"]).'] },
    ),
    "fail.adds-chown": pod(
        (s) => {
            mainSecurity(s).capabilities.add = ["CHOWN"];
        },
        { reports: ['container "app" adds "CHOWN". Only NET_BIND_SERVICE may be added.'] },
    ),
    "fail.init-container-drops-net-raw-only": pod(
        (s) => {
            addInit(s).securityContext.capabilities = { drop: ["NET_RAW"] };
        },
        { reports: ['init container "init" must drop ALL capabilities (securityContext.capabilities.drop: ["ALL"]).'] },
    ),
    "pass.not-a-check-before-1-22": pod(
        (s) => {
            delete mainSecurity(s).capabilities;
        },
        { config: { version: "v1.21" } },
    ),
};
