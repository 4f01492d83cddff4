// pss-sysctls, "Sysctls": the rule's metadata and check.
import { baseline } from "../../lib/pod-security";
import { podSecurity } from "../../lib/pod-spec";
import { minorOf } from "../../lib/pss-checks";
import { podSpecRule } from "../../lib/rule";
import { at, items, UNKNOWN } from "../../lib/values";

/** Sysctls that are namespaced and isolated between pods on a node, by the minor version that allowed them. */
export const SAFE_SYSCTLS_SINCE: Readonly<Record<string, number>> = {
    "kernel.shm_rmid_forced": 0,
    "net.ipv4.ip_local_port_range": 0,
    "net.ipv4.tcp_syncookies": 0,
    "net.ipv4.ping_group_range": 0,
    "net.ipv4.ip_unprivileged_port_start": 0,
    "net.ipv4.ip_local_reserved_ports": 27,
    "net.ipv4.tcp_keepalive_time": 29,
    "net.ipv4.tcp_fin_timeout": 29,
    "net.ipv4.tcp_keepalive_intvl": 29,
    "net.ipv4.tcp_keepalive_probes": 29,
    "net.ipv4.tcp_rmem": 32,
    "net.ipv4.tcp_wmem": 32,
    "net.ipv4.tcp_slow_start_after_idle": 37,
    "net.ipv4.tcp_notsent_lowat": 37,
};

/** The safe sysctls at a minor version. */
export const safeSysctls = (minor: number): ReadonlySet<string> =>
    new Set(
        Object.entries(SAFE_SYSCTLS_SINCE)
            .filter(([, since]) => since <= minor)
            .map(([name]) => name),
    );

export const sysctls = podSpecRule(
    baseline({
        name: "pss-sysctls",
        pssCheck: "sysctls",
        title: "Sysctls",
        severity: "high",
        description:
            "Pods may set only the safe sysctls of the enforced version, which are namespaced and isolated from other pods on the " +
            "node (v1.37 adds net.ipv4.tcp_slow_start_after_idle and net.ipv4.tcp_notsent_lowat).",
        remediation: "Remove unsafe sysctls from securityContext.sysctls; tune the node instead if the workload truly needs them.",
    }),
    {
        check({ pod, config, report }) {
            const safe = safeSysctls(minorOf(config.version));
            const list = items(podSecurity(pod.spec, "sysctls"));
            if (list === UNKNOWN) {
                return;
            }
            const unsafe = list.map((s) => at(s, "name")).filter((name): name is string => typeof name === "string" && !safe.has(name));
            if (unsafe.length > 0) {
                report(`the pod sets unsafe sysctls ${unsafe.map((n) => `"${n}"`).join(", ")}. Remove them from securityContext.sysctls.`);
            }
        },
    },
);
