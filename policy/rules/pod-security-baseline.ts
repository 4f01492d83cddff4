// Pod Security Standards, baseline profile: one policy per check of pod-security-admission v0.37
// (Kubernetes v1.37), with the library's semantics and its versioned variants (see lib/pss-checks.ts).
import {
    containerSecurity,
    containersOf,
    type ContainerView,
    describeContainer,
    inUserNamespace,
    listContainers,
    podSecurity,
    type PodView,
} from "../lib/pod-spec";
import { minorOf } from "../lib/pss-checks";
import { podSpecRule, type Rule, type RuleMetadata } from "../lib/rule";
import { at, entries, isKnown, items, show, text, UNKNOWN } from "../lib/values";

const PSS_URL = "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline";

function baseline(metadata: Omit<RuleMetadata, "family" | "pss" | "url"> & Required<Pick<RuleMetadata, "pssCheck">>): RuleMetadata {
    return { ...metadata, family: "pod-security", pss: "baseline", url: PSS_URL };
}

/** Containers (of every group) for which `bad` holds, for a single grouped message. */
const offending = (spec: unknown, bad: (container: ContainerView) => boolean): ContainerView[] =>
    containersOf(spec).filter((container) => isKnown(container.value) && bad(container));

export const hostProcess = podSpecRule(
    baseline({
        name: "pss-host-process",
        pssCheck: "windowsHostProcess",
        title: "Windows HostProcess containers",
        severity: "critical",
        description: "Pods must not run Windows HostProcess containers, which have privileged access to the Windows node.",
        remediation: "Remove securityContext.windowsOptions.hostProcess from the pod and its containers, or set it to false.",
    }),
    {
        check({ pod, report }) {
            if (podSecurity(pod.spec, "windowsOptions", "hostProcess") === true) {
                report(
                    "the pod sets securityContext.windowsOptions.hostProcess=true. Remove it (or set false): HostProcess pods " +
                        "control the node.",
                );
            }
            const bad = offending(pod.spec, (c) => containerSecurity(c, "windowsOptions", "hostProcess") === true);
            if (bad.length > 0) {
                report(`${listContainers(bad)} set securityContext.windowsOptions.hostProcess=true. Remove it (or set false).`);
            }
        },
    },
);

export const hostNamespaces = podSpecRule(
    baseline({
        name: "pss-host-namespaces",
        pssCheck: "hostNamespaces",
        title: "Host namespaces",
        severity: "critical",
        description: "Pods must not share the node's network, process or IPC namespaces (hostNetwork, hostPID, hostIPC).",
        remediation:
            "Remove hostNetwork, hostPID and hostIPC from the pod spec, or set them to false; expose ports through a Service instead.",
    }),
    {
        check({ pod, report }) {
            const shared = ["hostNetwork", "hostPID", "hostIPC"].filter((field) => at(pod.spec, field) === true);
            if (shared.length > 0) {
                report(
                    `the pod sets ${shared.map((f) => `${f}=true`).join(", ")}, sharing the node's namespaces. Remove ` +
                        `${shared.length === 1 ? "it" : "them"} (or set false).`,
                );
            }
        },
    },
);

export const privileged = podSpecRule(
    baseline({
        name: "pss-privileged",
        pssCheck: "privileged",
        title: "Privileged containers",
        severity: "critical",
        description: "Containers must not run privileged, which disables most container isolation.",
        remediation: "Remove securityContext.privileged (or set it to false) and grant only the specific capabilities the process needs.",
    }),
    {
        check({ pod, report }) {
            const bad = offending(pod.spec, (c) => containerSecurity(c, "privileged") === true);
            if (bad.length > 0) {
                report(`${listContainers(bad)} set securityContext.privileged=true. Remove it (or set false).`);
            }
        },
    },
);

/** Capabilities the baseline profile lets a container add: the container runtimes' default set. */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
]);

export const capabilitiesBaseline = podSpecRule(
    baseline({
        name: "pss-capabilities-baseline",
        pssCheck: "capabilities_baseline",
        title: "Added capabilities (baseline)",
        severity: "high",
        description:
            "Containers may add only the runtime's default capabilities (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, " +
            "MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT). Under the restricted profile " +
            "pss-capabilities-restricted reports instead.",
        remediation: "Remove every other capability from securityContext.capabilities.add.",
    }),
    {
        check({ pod, report }) {
            for (const container of containersOf(pod.spec)) {
                const added = items(containerSecurity(container, "capabilities", "add"));
                if (added === UNKNOWN) {
                    continue;
                }
                const forbidden = added.filter((cap): cap is string => typeof cap === "string" && !BASELINE_CAPABILITIES.has(cap));
                if (forbidden.length > 0) {
                    report(
                        `${describeContainer(container)} adds capabilities ${forbidden.map((c) => `"${c}"`).join(", ")}. Remove them ` +
                            "from securityContext.capabilities.add.",
                    );
                }
            }
        },
    },
);

export const hostPathVolumes = podSpecRule(
    baseline({
        name: "pss-host-path-volumes",
        pssCheck: "hostPathVolumes",
        title: "HostPath volumes",
        severity: "critical",
        description:
            "Pods must not mount hostPath volumes, which expose the node's filesystem. Under the restricted profile pss-volume-types " +
            "reports instead.",
        remediation: "Replace hostPath volumes with emptyDir, a ConfigMap or Secret, or a PersistentVolumeClaim.",
    }),
    {
        check({ pod, report }) {
            const volumes = items(at(pod.spec, "volumes"));
            if (volumes === UNKNOWN) {
                return;
            }
            const bad = volumes.filter((v) => {
                const source = at(v, "hostPath");
                return source !== undefined && source !== null && source !== UNKNOWN;
            });
            if (bad.length > 0) {
                report(
                    `volumes ${bad.map((v) => show(at(v, "name"))).join(", ")} use hostPath. Use emptyDir, a ConfigMap, a Secret or ` +
                        "a PersistentVolumeClaim instead.",
                );
            }
        },
    },
);

export const hostPorts = podSpecRule(
    baseline({
        name: "pss-host-ports",
        pssCheck: "hostPorts",
        title: "Host ports",
        severity: "high",
        description:
            "Containers must not bind ports on the node (hostPort, which a host-networked Pod's container ports become), which " +
            "bypasses network policy and limits scheduling.",
        remediation: "Remove hostPort from the container ports (or set it to 0) and expose the port through a Service.",
    }),
    {
        check({ kind, pod, report }) {
            // The API server gives a host-networked Pod (not a pod template) hostPort = containerPort.
            const hostNetworkPod = kind === "Pod" && at(pod.spec, "hostNetwork") === true;
            for (const container of containersOf(pod.spec)) {
                const ports = items(at(container.value, "ports"));
                if (ports === UNKNOWN) {
                    continue;
                }
                const defaulted = hostNetworkPod && container.group !== "ephemeralContainers";
                const bound = ports
                    .map((p) => {
                        const hostPort = at(p, "hostPort");
                        return defaulted && (hostPort === undefined || hostPort === null || hostPort === 0)
                            ? at(p, "containerPort")
                            : hostPort;
                    })
                    .filter((port) => typeof port === "number" && port !== 0);
                if (bound.length > 0) {
                    report(
                        `${describeContainer(container)} binds host ports ${bound.join(", ")}. Remove hostPort and expose the port ` +
                            "through a Service.",
                    );
                }
            }
        },
    },
);

const PROBES = ["livenessProbe", "readinessProbe", "startupProbe"];
const LIFECYCLE_HANDLERS = ["postStart", "preStop"];

export const hostProbes = podSpecRule(
    baseline({
        name: "pss-host-probes",
        pssCheck: "hostProbesAndHostLifecycle",
        title: "Probe and lifecycle hosts",
        severity: "medium",
        description:
            "Probes and lifecycle handlers must not set a host, which would let the kubelet send requests to other hosts on the " +
            "pod's behalf (a Pod Security check since v1.34).",
        remediation: "Remove the host field from httpGet and tcpSocket probes and lifecycle handlers; they then target the pod itself.",
    }),
    {
        check({ pod, report }) {
            for (const container of containersOf(pod.spec)) {
                const handlers = [
                    ...PROBES.map((probe) => [probe, at(container.value, probe)] as const),
                    ...LIFECYCLE_HANDLERS.map((hook) => [`lifecycle.${hook}`, at(container.value, "lifecycle", hook)] as const),
                ];
                const hosts: string[] = [];
                for (const [where, handler] of handlers) {
                    for (const action of ["httpGet", "tcpSocket"]) {
                        const host = text(at(handler, action, "host"));
                        if (typeof host === "string" && host !== "") {
                            hosts.push(`${where}.${action}.host="${host}"`);
                        }
                    }
                }
                if (hosts.length > 0) {
                    report(
                        `${describeContainer(container)} sets ${hosts.join(", ")}. Remove the host field so the kubelet probes the ` +
                            "pod itself.",
                    );
                }
            }
        },
    },
);

const APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";
/** A set appArmorProfile must name RuntimeDefault or Localhost (an empty type is forbidden too); unset is fine. */
const appArmorProfileAllowed = (profile: unknown) =>
    profile === undefined ||
    profile === null ||
    profile === UNKNOWN ||
    at(profile, "type") === UNKNOWN ||
    at(profile, "type") === "RuntimeDefault" ||
    at(profile, "type") === "Localhost";

export const appArmor = podSpecRule(
    baseline({
        name: "pss-app-armor",
        pssCheck: "appArmorProfile",
        title: "AppArmor",
        severity: "high",
        description:
            "Pods must not disable or override the default AppArmor profile: appArmorProfile.type and the beta annotations allow " +
            "only RuntimeDefault and Localhost profiles.",
        remediation:
            "Remove appArmorProfile (or set type RuntimeDefault or Localhost) and remove AppArmor annotations other than " +
            "runtime/default and localhost/<profile>.",
    }),
    {
        check({ pod, report }) {
            reportProfileTypes(pod, "appArmorProfile", appArmorProfileAllowed, report);
            const annotations = entries(at(pod.metadata, "annotations"));
            if (annotations === UNKNOWN) {
                return;
            }
            for (const [key, value] of annotations) {
                if (
                    key.startsWith(APPARMOR_ANNOTATION_PREFIX) &&
                    isKnown(value) &&
                    value !== "" &&
                    value !== "runtime/default" &&
                    !String(value).startsWith("localhost/")
                ) {
                    report(
                        `the annotation ${key}=${show(value)} overrides AppArmor. Remove it or use runtime/default or localhost/<profile>.`,
                    );
                }
            }
        },
    },
);

/** SELinux types the baseline profile allows; container_engine_t since v1.31. */
export const ALLOWED_SELINUX_TYPES: ReadonlySet<string> = new Set([
    "",
    "container_t",
    "container_init_t",
    "container_kvm_t",
    "container_engine_t",
]);
const SELINUX_TYPES_BEFORE_1_31: ReadonlySet<string> = new Set(["", "container_t", "container_init_t", "container_kvm_t"]);

function seLinuxProblems(options: unknown, allowedTypes: ReadonlySet<string>): string[] {
    if (options === undefined || options === null || options === UNKNOWN) {
        return [];
    }
    const problems: string[] = [];
    const type = text(at(options, "type"));
    if (typeof type === "string" && !allowedTypes.has(type)) {
        problems.push(`type "${type}"`);
    }
    for (const field of ["user", "role"]) {
        const value = text(at(options, field));
        if (typeof value === "string" && value !== "") {
            problems.push(`${field} "${value}"`);
        }
    }
    return problems;
}

export const seLinux = podSpecRule(
    baseline({
        name: "pss-selinux",
        pssCheck: "seLinuxOptions",
        title: "SELinux options",
        severity: "high",
        description:
            "Pods must not set a custom SELinux user or role, and may set only the container_t, container_init_t, container_kvm_t or " +
            "container_engine_t type.",
        remediation: "Remove seLinuxOptions.user and seLinuxOptions.role, and remove seLinuxOptions.type or use an allowed container type.",
    }),
    {
        check({ pod, config, report }) {
            const allowed = minorOf(config.version) >= 31 ? ALLOWED_SELINUX_TYPES : SELINUX_TYPES_BEFORE_1_31;
            const atPod = seLinuxProblems(podSecurity(pod.spec, "seLinuxOptions"), allowed);
            if (atPod.length > 0) {
                report(
                    `the pod sets forbidden securityContext.seLinuxOptions (${atPod.join(", ")}). Remove user and role; use an ` +
                        "allowed container type.",
                );
            }
            for (const container of containersOf(pod.spec)) {
                const problems = seLinuxProblems(containerSecurity(container, "seLinuxOptions"), allowed);
                if (problems.length > 0) {
                    report(
                        `${describeContainer(container)} sets forbidden securityContext.seLinuxOptions (${problems.join(", ")}). ` +
                            "Remove user and role; use an allowed container type.",
                    );
                }
            }
        },
    },
);

/** Containers that set a /proc mount type other than Default. */
export const unmaskedProc = (spec: unknown): ContainerView[] =>
    offending(spec, (c) => {
        const mount = containerSecurity(c, "procMount");
        return mount !== undefined && mount !== null && mount !== UNKNOWN && mount !== "Default";
    });

export const procMount = podSpecRule(
    baseline({
        name: "pss-proc-mount",
        pssCheck: "procMount",
        title: "/proc mount type (baseline)",
        severity: "high",
        description:
            "Containers must keep the default /proc masks (procMount Default), except in a pod with its own user namespace " +
            "(hostUsers: false) since v1.35. Under the restricted profile pss-proc-mount-restricted reports instead (from v1.35).",
        remediation: "Remove securityContext.procMount or set it to Default, or run the pod in its own user namespace (hostUsers: false).",
    }),
    {
        check({ pod, config, report }) {
            if (minorOf(config.version) >= 35 && inUserNamespace(pod.spec)) {
                return;
            }
            const bad = unmaskedProc(pod.spec);
            if (bad.length > 0) {
                report(`${listContainers(bad)} set securityContext.procMount to a non-default type. Remove it or set Default.`);
            }
        },
    },
);

export const seccompBaseline = podSpecRule(
    baseline({
        name: "pss-seccomp-baseline",
        pssCheck: "seccompProfile_baseline",
        title: "Seccomp (baseline)",
        severity: "high",
        description:
            "Pods and containers that set a seccomp profile must use RuntimeDefault or Localhost, never Unconfined (before v1.19: " +
            "the seccomp annotations). Under the restricted profile pss-seccomp-restricted reports instead.",
        remediation: "Set securityContext.seccompProfile.type to RuntimeDefault (or Localhost) instead of Unconfined.",
    }),
    {
        check({ pod, config, report }) {
            if (minorOf(config.version) < 19) {
                seccompAnnotations(pod, report);
                return;
            }
            reportProfileTypes(pod, "seccompProfile", seccompProfileAllowed, report);
        },
    },
);

/** Reports the pod's and the containers' securityContext.<field> whose type `allowed` refuses (AppArmor, seccomp). */
function reportProfileTypes(
    pod: PodView,
    field: "appArmorProfile" | "seccompProfile",
    allowed: (profile: unknown) => boolean,
    report: (message: string) => void,
): void {
    const podProfile = podSecurity(pod.spec, field);
    if (!allowed(podProfile)) {
        report(`the pod sets securityContext.${field}.type=${show(at(podProfile, "type"))}. Use RuntimeDefault or Localhost.`);
    }
    const bad = offending(pod.spec, (c) => !allowed(containerSecurity(c, field)));
    if (bad.length > 0) {
        report(
            `${listContainers(bad)} set securityContext.${field}.type to a profile other than RuntimeDefault or Localhost. ` +
                "Use RuntimeDefault.",
        );
    }
}

/** A set seccompProfile must name RuntimeDefault or Localhost (an empty type is forbidden too); unset is fine. */
export const seccompProfileAllowed = (profile: unknown): boolean =>
    profile === undefined ||
    profile === null ||
    profile === UNKNOWN ||
    at(profile, "type") === UNKNOWN ||
    at(profile, "type") === "RuntimeDefault" ||
    at(profile, "type") === "Localhost";

const SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER_ANNOTATION_PREFIX = "container.seccomp.security.alpha.kubernetes.io/";

/** Before v1.19 the check read the alpha seccomp annotations (pod, and per container by name). */
function seccompAnnotations(pod: PodView, report: (message: string) => void): void {
    const allowed = (value: unknown) =>
        value === UNKNOWN ||
        value === "runtime/default" ||
        value === "docker/default" ||
        (typeof value === "string" && value.startsWith("localhost/"));
    const keys = [SECCOMP_POD_ANNOTATION, ...containersOf(pod.spec).map((c) => SECCOMP_CONTAINER_ANNOTATION_PREFIX + c.name)];
    const annotations = at(pod.metadata, "annotations");
    const bad = keys.filter((key) => {
        const value = at(annotations, key);
        return value !== undefined && !allowed(value);
    });
    if (bad.length > 0) {
        report(
            `the annotations ${bad.map((key) => `${key}=${show(at(annotations, key))}`).join(", ")} disable seccomp. Use ` +
                "runtime/default or localhost/<profile>.",
        );
    }
}

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

export const BASELINE_RULES: readonly Rule[] = [
    hostProcess,
    hostNamespaces,
    privileged,
    capabilitiesBaseline,
    hostPathVolumes,
    hostPorts,
    hostProbes,
    appArmor,
    seLinux,
    procMount,
    seccompBaseline,
    sysctls,
];
