// pss-capabilities-baseline's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { pod, mainSecurity, addEphemeral, type Cases } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.adds-default-capabilities": pod((s) => {
        mainSecurity(s).capabilities.add = ["CHOWN", "NET_BIND_SERVICE"];
    }),
    "pass.left-to-the-restricted-control-under-restricted": pod((s) => {
        mainSecurity(s).capabilities.add = ["SYS_ADMIN"];
    }),
    "fail.adds-sys-admin": pod(
        (s) => {
            mainSecurity(s).capabilities.add = ["SYS_ADMIN"];
        },
        { config: { profile: "baseline" } },
    ),
    "fail.ephemeral-adds-net-raw": pod(
        (s) => {
            addEphemeral(s).securityContext.capabilities.add = ["NET_RAW"];
        },
        { config: { profile: "baseline" } },
    ),
};
