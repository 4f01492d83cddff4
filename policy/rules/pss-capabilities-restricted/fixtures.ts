// pss-capabilities-restricted's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { pod, mainSecurity, addInit, type Cases } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.drop-all-add-net-bind": pod((s) => {
        mainSecurity(s).capabilities.add = ["NET_BIND_SERVICE"];
    }),
    "fail.drop-missing": pod((s) => {
        delete mainSecurity(s).capabilities;
    }),
    "fail.adds-chown": pod((s) => {
        mainSecurity(s).capabilities.add = ["CHOWN"];
    }),
    "fail.init-container-drops-net-raw-only": pod((s) => {
        addInit(s).securityContext.capabilities = { drop: ["NET_RAW"] };
    }),
    "pass.not-a-check-before-1-22": pod(
        (s) => {
            delete mainSecurity(s).capabilities;
        },
        { config: { version: "v1.21" } },
    ),
};
