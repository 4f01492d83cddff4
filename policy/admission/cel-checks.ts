// The single-object rules of the catalogue as CEL, for ValidatingAdmissionPolicies the API server
// enforces on every write (kubectl apply included), not only on what goes through `pulumi`. Each entry
// states the rule at its default settings (for pss- rules: restricted, latest); rules that need the whole
// stack (NetworkPolicy coverage, Service selectors, budgets, replicas) or settings CEL cannot see stay in
// the pack only. test/e2e/admission-policies.test.ts applies the fixtures to the real API server and
// compares its verdicts with the pack's.
import { safeSysctls } from "../rules/pod-security-baseline";

/** Kinds whose objects carry a pod, and where: the CEL variable `spec` is that pod's spec. */
export const POD_KINDS: Readonly<Record<string, { group: string; version: string; resource: string }>> = {
    Pod: { group: "", version: "v1", resource: "pods" },
    ReplicationController: { group: "", version: "v1", resource: "replicationcontrollers" },
    Deployment: { group: "apps", version: "v1", resource: "deployments" },
    StatefulSet: { group: "apps", version: "v1", resource: "statefulsets" },
    DaemonSet: { group: "apps", version: "v1", resource: "daemonsets" },
    ReplicaSet: { group: "apps", version: "v1", resource: "replicasets" },
    Job: { group: "batch", version: "v1", resource: "jobs" },
    CronJob: { group: "batch", version: "v1", resource: "cronjobs" },
};

/** The pod spec and pod metadata of any pod-carrying kind. */
export const POD_VARIABLES = [
    {
        name: "spec",
        expression:
            "object.kind == 'Pod' ? object.spec : (object.kind == 'CronJob' ? object.spec.jobTemplate.spec.template.spec : " +
            "object.spec.template.spec)",
    },
    {
        name: "annotations",
        expression:
            "(object.kind == 'Pod' ? object.metadata : (object.kind == 'CronJob' ? " +
            "object.spec.jobTemplate.spec.template.?metadata.orValue({}) : " +
            "object.spec.template.?metadata.orValue({}))).?annotations.orValue({})",
    },
];

const GROUPS = ["containers", "initContainers", "ephemeralContainers"] as const;

/** `predicate` (over `c`) holds for every container of every group; each group separately, as their types differ. */
export const allContainers = (predicate: string, groups: readonly string[] = GROUPS): string =>
    groups.map((g) => `(!has(variables.spec.${g}) || variables.spec.${g}.all(c, ${predicate}))`).join(" && ");

/** A field of the pod's securityContext, with a default when unset. */
const podSc = (field: string, otherwise: string) => `variables.spec.?securityContext.?${field}.orValue(${otherwise})`;
/** A field of container `c`'s securityContext, with a default when unset. */
const cSc = (field: string, otherwise: string) => `c.?securityContext.?${field}.orValue(${otherwise})`;

const isWindows = "(has(variables.spec.os) && variables.spec.os.name == 'windows')";
const inUserNamespace = "(has(variables.spec.hostUsers) && variables.spec.hostUsers == false)";
const seccompOk = (profile: string) => `(${profile}.type in ['RuntimeDefault', 'Localhost'])`;
const appArmorOk = (profile: string) => `(${profile}.type in ['RuntimeDefault', 'Localhost'])`;
const seLinuxOk = (o: string) =>
    `((!has(${o}.type) || ${o}.type in ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'])` +
    ` && (!has(${o}.user) || ${o}.user == '') && (!has(${o}.role) || ${o}.role == ''))`;
const noHost = (h: string) => `(!has(${h}.host) || ${h}.host == '')`;
const handlerOk = (handler: string) =>
    `(!has(${handler}) || ((!has(${handler}.httpGet) || ${noHost(`${handler}.httpGet`)})` +
    ` && (!has(${handler}.tcpSocket) || ${noHost(`${handler}.tcpSocket`)})))`;
/** The sysctls v1.37 allows, as a CEL list (the pack's own table, so the two cannot drift). */
const safeSysctlList = `[${[...safeSysctls(37)].map((name) => `'${name}'`).join(", ")}]`;

/** A rule as the API server checks it. */
export interface CelCheck {
    /** Kinds checked: pod-carrying ones (with the pod variables) or others by resource. */
    kinds: "pods" | { kind: string; group: string; version: string; resource: string }[];
    /** Holds for a compliant object. */
    expression: string;
    /** The message the API server returns (the pack's messages name containers; CEL's stay short). */
    message: string;
}

export const CEL_CHECKS: Readonly<Record<string, CelCheck>> = {
    "pss-host-process": {
        kinds: "pods",
        expression:
            "variables.spec.?securityContext.?windowsOptions.?hostProcess.orValue(false) == false && " +
            allContainers("c.?securityContext.?windowsOptions.?hostProcess.orValue(false) == false"),
        message: "Pods must not run Windows HostProcess containers (securityContext.windowsOptions.hostProcess).",
    },
    "pss-host-namespaces": {
        kinds: "pods",
        expression:
            "!(variables.spec.?hostNetwork.orValue(false) || variables.spec.?hostPID.orValue(false) || " +
            "variables.spec.?hostIPC.orValue(false))",
        message: "Pods must not set hostNetwork, hostPID or hostIPC.",
    },
    "pss-privileged": {
        kinds: "pods",
        expression: allContainers(`${cSc("privileged", "false")} == false`),
        message: "Containers must not set securityContext.privileged=true.",
    },
    "pss-host-ports": {
        kinds: "pods",
        expression: allContainers("!has(c.ports) || c.ports.all(p, !has(p.hostPort) || p.hostPort == 0)"),
        message: "Containers must not set hostPort.",
    },
    "pss-host-probes": {
        kinds: "pods",
        expression: allContainers(
            ["c.livenessProbe", "c.readinessProbe", "c.startupProbe"].map(handlerOk).join(" && ") +
                ` && (!has(c.lifecycle) || (${handlerOk("c.lifecycle.postStart")} && ${handlerOk("c.lifecycle.preStop")}))`,
        ),
        message: "Probes and lifecycle handlers must not set a host.",
    },
    "pss-app-armor": {
        kinds: "pods",
        expression:
            "(!has(variables.spec.securityContext) || !has(variables.spec.securityContext.appArmorProfile) || " +
            `${appArmorOk("variables.spec.securityContext.appArmorProfile")})` +
            " && " +
            allContainers(
                `!has(c.securityContext) || !has(c.securityContext.appArmorProfile) || ${appArmorOk("c.securityContext.appArmorProfile")}`,
            ) +
            " && variables.annotations.all(k, !k.startsWith('container.apparmor.security.beta.kubernetes.io/') || " +
            "variables.annotations[k] == '' || variables.annotations[k] == 'runtime/default' || " +
            "variables.annotations[k].startsWith('localhost/'))",
        message: "Pods must not disable or override the default AppArmor profile.",
    },
    "pss-selinux": {
        kinds: "pods",
        expression:
            "(!has(variables.spec.securityContext) || !has(variables.spec.securityContext.seLinuxOptions) || " +
            `${seLinuxOk("variables.spec.securityContext.seLinuxOptions")})` +
            " && " +
            allContainers(
                `!has(c.securityContext) || !has(c.securityContext.seLinuxOptions) || ${seLinuxOk("c.securityContext.seLinuxOptions")}`,
            ),
        message: "Pods must not set a custom SELinux user or role, or a type other than the container types.",
    },
    "pss-sysctls": {
        kinds: "pods",
        expression: `${podSc("sysctls", "[]")}.all(s, s.name in ${safeSysctlList})`,
        message: "Pods may set only the safe sysctls of Kubernetes v1.37.",
    },
    "pss-volume-types": {
        kinds: "pods",
        expression:
            "!has(variables.spec.volumes) || variables.spec.volumes.all(v, has(v.configMap) || has(v.csi) || has(v.downwardAPI) || " +
            "has(v.emptyDir) || has(v.ephemeral) || has(v.image) || has(v.persistentVolumeClaim) || has(v.projected) || " +
            "has(v.secret))",
        message:
            "Pods may use only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret " +
            "volumes.",
    },
    "pss-allow-privilege-escalation": {
        kinds: "pods",
        expression: `${isWindows} || ${allContainers(`${cSc("allowPrivilegeEscalation", "true")} == false`)}`,
        message: "Containers must set securityContext.allowPrivilegeEscalation=false.",
    },
    "pss-run-as-non-root": {
        kinds: "pods",
        expression:
            `${inUserNamespace} || (${podSc("runAsNonRoot", "true")} != false && ` +
            `${allContainers(cSc("runAsNonRoot", podSc("runAsNonRoot", "false")))})`,
        message: "Containers must run as non-root: set securityContext.runAsNonRoot=true on the pod or every container.",
    },
    "pss-run-as-user": {
        kinds: "pods",
        expression: `${inUserNamespace} || (${podSc("runAsUser", "1")} != 0 && ${allContainers(`${cSc("runAsUser", "1")} != 0`)})`,
        message: "Pods and containers must not set runAsUser=0.",
    },
    "pss-seccomp-restricted": {
        kinds: "pods",
        expression:
            `${isWindows} || ((!has(variables.spec.securityContext) || !has(variables.spec.securityContext.seccompProfile) || ` +
            `${seccompOk("variables.spec.securityContext.seccompProfile")})` +
            " && " +
            allContainers(
                `has(c.securityContext) && has(c.securityContext.seccompProfile) ? ${seccompOk("c.securityContext.seccompProfile")}` +
                    " : (has(variables.spec.securityContext) && has(variables.spec.securityContext.seccompProfile))",
            ) +
            ")",
        message: "A seccomp profile (RuntimeDefault or Localhost) must be set on the pod or every container.",
    },
    "pss-capabilities-restricted": {
        kinds: "pods",
        expression: `${isWindows} || ${allContainers(
            "has(c.securityContext) && has(c.securityContext.capabilities) && has(c.securityContext.capabilities.drop)" +
                " && 'ALL' in c.securityContext.capabilities.drop" +
                " && (!has(c.securityContext.capabilities.add) || c.securityContext.capabilities.add.all(a, a == 'NET_BIND_SERVICE'))",
        )}`,
        message: "Containers must drop ALL capabilities and may add back only NET_BIND_SERVICE.",
    },
    "pss-proc-mount-restricted": {
        kinds: "pods",
        expression: allContainers(`${cSc("procMount", "'Default'")} == 'Default'`),
        message: "Containers must keep the default /proc mount (procMount Default).",
    },
    "read-only-root-filesystem": {
        kinds: "pods",
        expression: allContainers(`${cSc("readOnlyRootFilesystem", "false")} == true`),
        message: "Containers must set securityContext.readOnlyRootFilesystem=true.",
    },
    "service-exposure": {
        kinds: [{ kind: "Service", group: "", version: "v1", resource: "services" }],
        expression: "!has(object.spec.type) || !(object.spec.type in ['LoadBalancer', 'NodePort'])",
        message: "Services must not be of type LoadBalancer or NodePort.",
    },
};
