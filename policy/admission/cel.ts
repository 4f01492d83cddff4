// The CEL the rules' admission twins (rules/<rule>/cel.ts) share: the kinds that carry a pod, the
// variables that find its spec and annotations, and container and securityContext helpers.

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
export const podSc = (field: string, otherwise: string) => `variables.spec.?securityContext.?${field}.orValue(${otherwise})`;

/** A field of container `c`'s securityContext, with a default when unset. */
export const cSc = (field: string, otherwise: string) => `c.?securityContext.?${field}.orValue(${otherwise})`;

export const isWindows = "(has(variables.spec.os) && variables.spec.os.name == 'windows')";

export const inUserNamespace = "(has(variables.spec.hostUsers) && variables.spec.hostUsers == false)";

/** A rule as the API server checks it. */
export interface CelCheck {
    /** Kinds checked: pod-carrying ones (with the pod variables) or others by resource. */
    kinds: "pods" | { kind: string; group: string; version: string; resource: string }[];
    /** Holds for a compliant object. */
    expression: string;
    /** The message the API server returns (the pack's messages name containers; CEL's stay short). */
    message: string;
}
