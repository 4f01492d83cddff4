// The one place that knows where each workload kind keeps its pod: every pod-spec rule reads pods
// through podView() and containers through containersOf(), whatever kind or source declared them.
import { at, items, text, type Unknown, UNKNOWN } from "./values";

/** Where the pod template sits in each kind that carries one; [] means the object is the pod itself. */
export const POD_TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
    Pod: [],
    Deployment: ["spec", "template"],
    StatefulSet: ["spec", "template"],
    DaemonSet: ["spec", "template"],
    ReplicaSet: ["spec", "template"],
    ReplicationController: ["spec", "template"],
    Job: ["spec", "template"],
    CronJob: ["spec", "jobTemplate", "spec", "template"],
};

export const POD_CARRYING_KINDS: readonly string[] = Object.keys(POD_TEMPLATE_PATHS);

export const carriesPod = (kind: string): boolean => POD_TEMPLATE_PATHS[kind] !== undefined;

/** Kinds whose pods run to completion: no probes expected, no replicas to budget. */
export const BATCH_KINDS: ReadonlySet<string> = new Set(["Job", "CronJob"]);

/** A pod as found inside any pod-carrying object. */
export interface PodView {
    kind: string;
    /** Path from the object's root to the pod spec, e.g. ["spec", "template", "spec"]. */
    specPath: readonly string[];
    /** The pod's own metadata (labels, annotations): the template's, or the Pod's. */
    metadata: unknown;
    /** The pod spec; UNKNOWN when not known during preview. */
    spec: unknown;
    /** Serves until stopped (probes apply); false for Jobs, CronJobs and Pods that run to completion. */
    longRunning: boolean | Unknown;
}

/** The pod inside an object of this kind, or undefined for kinds that carry none. */
export function podView(kind: string, props: unknown): PodView | undefined {
    const templatePath = POD_TEMPLATE_PATHS[kind];
    if (templatePath === undefined) {
        return undefined;
    }
    const template = templatePath.length === 0 ? props : at(props, ...templatePath);
    const spec = at(template, "spec");
    let longRunning: boolean | Unknown = !BATCH_KINDS.has(kind);
    if (kind === "Pod") {
        const restartPolicy = text(at(spec, "restartPolicy"));
        longRunning = restartPolicy === UNKNOWN ? UNKNOWN : restartPolicy !== "Never" && restartPolicy !== "OnFailure";
    }
    return { kind, specPath: [...templatePath, "spec"], metadata: at(template, "metadata"), spec, longRunning };
}

export type ContainerGroup = "containers" | "initContainers" | "ephemeralContainers";
export const CONTAINER_GROUPS: readonly ContainerGroup[] = ["containers", "initContainers", "ephemeralContainers"];

/** One container of a pod, with where it sits so a message can name it and a remediation can patch it. */
export interface ContainerView {
    group: ContainerGroup;
    index: number;
    name: string;
    /** The container object; UNKNOWN when not known. */
    value: unknown;
    /** An init container with restartPolicy Always: a native sidecar that runs as long as the pod. */
    sidecar: boolean;
}

/** Containers of the given groups (all three by default); lists not known during preview are skipped. */
export function containersOf(spec: unknown, groups: readonly ContainerGroup[] = CONTAINER_GROUPS): ContainerView[] {
    const out: ContainerView[] = [];
    for (const group of groups) {
        const list = items(at(spec, group));
        if (list === UNKNOWN) {
            continue;
        }
        list.forEach((value, index) => {
            const name = text(at(value, "name"));
            out.push({
                group,
                index,
                name: typeof name === "string" ? name : `${group}[${index}]`,
                value,
                sidecar: group === "initContainers" && at(value, "restartPolicy") === "Always",
            });
        });
    }
    return out;
}

const GROUP_NOUN: Record<ContainerGroup, string> = {
    containers: "container",
    initContainers: "init container",
    ephemeralContainers: "ephemeral container",
};

/** `container "web"`, `init container "migrate"`. */
export function describeContainer(container: ContainerView): string {
    return `${GROUP_NOUN[container.group]} "${container.name}"`;
}

/** The pod's labels as written in the pod template (or the Pod's metadata). */
export function podLabels(view: PodView): unknown {
    return at(view.metadata, "labels");
}

/** A pod that declares it runs on Windows, where the Linux-only restricted controls do not apply. */
export function isWindowsPod(spec: unknown): boolean {
    return at(spec, "os", "name") === "windows";
}

/** A pod in its own user namespace (hostUsers: false), for which PSA relaxes the root-user controls. */
export function inUserNamespace(spec: unknown): boolean {
    return at(spec, "hostUsers") === false;
}

/** The pod-level securityContext field at a path. */
export const podSecurity = (spec: unknown, ...path: string[]): unknown => at(spec, "securityContext", ...path);

/** A container's securityContext field at a path. */
export const containerSecurity = (container: ContainerView, ...path: string[]): unknown => at(container.value, "securityContext", ...path);

/** Names for a message: `container "a"` or `containers "a", "b"`. */
export function listContainers(containers: readonly ContainerView[]): string {
    const names = containers.map((c) => `"${c.name}"`).join(", ");
    return containers.length === 1 ? describeContainer(containers[0]) : `containers ${names}`;
}
