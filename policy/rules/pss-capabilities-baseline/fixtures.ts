// pss-capabilities-baseline's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { addEphemeral, type Cases, mainSecurity, pod } from "../../fixtures/fixture";

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
        {
            config: { profile: "baseline" },
            reports: ['container "app" adds capabilities "SYS_ADMIN". Remove them from securityContext.capabilities.add.'],
        },
    ),
    "fail.ephemeral-adds-net-raw": pod(
        (s) => {
            addEphemeral(s).securityContext.capabilities.add = ["NET_RAW"];
        },
        {
            config: { profile: "baseline" },
            reports: ['ephemeral container "debug" adds capabilities "NET_RAW". ' + "Remove them from securityContext.capabilities.add."],
        },
    ),
};
