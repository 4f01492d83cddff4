// pss-sysctls's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { type Cases, pod } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.safe-sysctls": pod((s) => {
        s.securityContext.sysctls = [
            { name: "net.ipv4.tcp_keepalive_time", value: "60" },
            { name: "net.ipv4.ip_unprivileged_port_start", value: "0" },
        ];
    }),
    "pass.sysctls-added-in-1-37": pod((s) => {
        s.securityContext.sysctls = [
            { name: "net.ipv4.tcp_slow_start_after_idle", value: "0" },
            { name: "net.ipv4.tcp_notsent_lowat", value: "16384" },
        ];
    }),
    "fail.unsafe-sysctl": pod(
        (s) => {
            s.securityContext.sysctls = [{ name: "kernel.msgmax", value: "65536" }];
        },
        { reports: ['the pod sets unsafe sysctls "kernel.msgmax". Remove them from securityContext.sysctls.'] },
    ),
    "fail.sysctl-added-in-1-37-under-1-36": pod(
        (s) => {
            s.securityContext.sysctls = [{ name: "net.ipv4.tcp_slow_start_after_idle", value: "0" }];
        },
        {
            config: { version: "v1.36" },
            reports: ['the pod sets unsafe sysctls "net.ipv4.tcp_slow_start_after_idle". ' + "Remove them from securityContext.sysctls."],
        },
    ),
};
