// Workload hygiene beyond the Pod Security Standards: immutable root filesystems, sized containers,
// health probes, no credentials in plain env values, no service-account token unless asked for.
import {
    carriesPod,
    containerSecurity,
    containersOf,
    type ContainerView,
    describeContainer,
    listContainers,
    podView,
} from "../lib/pod-spec";
import { parseQuantity } from "../lib/quantity";
import { type Patch, podSpecRule, resourceRule, type Rule, type StackObject, stackRule } from "../lib/rule";
import { servicesByWorkload } from "../lib/services";
import { at, isKnown, items, show, UNKNOWN } from "../lib/values";
import { indexWorkloads, type Workload, workloadsOf } from "../lib/workloads";

export const readOnlyRootFilesystem = podSpecRule(
    {
        name: "read-only-root-filesystem",
        title: "Read-only root filesystem",
        family: "workload",
        severity: "medium",
        description: "Containers must run with a read-only root filesystem, so a compromised process cannot modify its image.",
        remediation:
            "Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir at each path the process writes to (e.g. /tmp).",
    },
    {
        check({ pod, report }) {
            const bad = containersOf(pod.spec).filter((c) => {
                const value = containerSecurity(c, "readOnlyRootFilesystem");
                return isKnown(c.value) && value !== true && value !== UNKNOWN;
            });
            if (bad.length > 0) {
                report(
                    `${listContainers(bad)} must set securityContext.readOnlyRootFilesystem=true; mount an emptyDir where the ` +
                        "process writes.",
                );
            }
        },
    },
);

const RESOURCE_NAMES = ["cpu", "memory"] as const;

export const containerResources = podSpecRule(
    {
        name: "container-resources",
        title: "Container requests and limits",
        family: "workload",
        severity: "medium",
        description:
            "Every container must request and limit CPU and memory, with each limit at least its request, so the scheduler can place " +
            "it and a runaway process cannot starve its node.",
        remediation:
            "Set resources.requests.cpu, resources.requests.memory, resources.limits.cpu and resources.limits.memory on every " +
            "container and init container, limits not below requests.",
    },
    {
        check({ pod, report }) {
            for (const container of containersOf(pod.spec, ["containers", "initContainers"])) {
                const resources = at(container.value, "resources");
                if (resources === UNKNOWN || !isKnown(container.value)) {
                    continue;
                }
                const missing: string[] = [];
                const inverted: string[] = [];
                for (const resource of RESOURCE_NAMES) {
                    const request = at(resources, "requests", resource);
                    const limit = at(resources, "limits", resource);
                    if (request === undefined || request === null) {
                        missing.push(`requests.${resource}`);
                    }
                    if (limit === undefined || limit === null) {
                        missing.push(`limits.${resource}`);
                    }
                    const [r, l] = [parseQuantity(request), parseQuantity(limit)];
                    if (r !== undefined && l !== undefined && l < r) {
                        inverted.push(`limits.${resource} ${String(limit)} is below requests.${resource} ${String(request)}`);
                    }
                }
                if (missing.length > 0) {
                    report(
                        `${describeContainer(container)} does not set resources ${missing.join(", ")}. Set CPU and memory requests ` +
                            "and limits.",
                    );
                }
                if (inverted.length > 0) {
                    report(`${describeContainer(container)}: ${inverted.join("; ")}. Raise the limit to at least the request.`);
                }
            }
        },
    },
);

interface ProbeConfig {
    readinessForWorkers: boolean;
}

/** Why a workload's containers need a readiness probe, or undefined when nothing sends it traffic. */
function trafficReason(workload: Workload, services: readonly StackObject[], containers: readonly ContainerView[]): string | undefined {
    if (services.length > 0) {
        return `Service ${services.map((s) => s.name ?? s.pulumiName).join(", ")} sends it traffic, which must wait until it is ready`;
    }
    const ports = containers.flatMap((c) => {
        const list = items(at(c.value, "ports"));
        return list === UNKNOWN ? [] : list.map((p) => at(p, "containerPort"));
    });
    if (ports.length > 0) {
        return `it declares container port ${ports.map((p) => show(p)).join(", ")}, so it serves traffic`;
    }
    return workload.labels === UNKNOWN ? "a Service may select it (its labels are not known yet)" : undefined;
}

export const healthProbes = stackRule<ProbeConfig>(
    {
        name: "health-probes",
        title: "Liveness and readiness probes",
        family: "workload",
        severity: "medium",
        description:
            "Containers of long-running workloads (and native sidecars) must have a liveness probe, and a readiness probe when the " +
            "workload serves traffic (a Service selects it or it declares a container port); Jobs, CronJobs, run-to-completion Pods " +
            "and plain init containers are exempt.",
        remediation:
            "Add a livenessProbe (is the process healthy?) to every long-running container, and a readinessProbe (can it serve " +
            "traffic?) to those a Service or a container port sends traffic to.",
        config: {
            readinessForWorkers: {
                type: "boolean",
                default: false,
                description: "Require a readiness probe also on workers that no Service selects and that declare no container port.",
            },
        },
    },
    {
        check({ objects, config, report }) {
            const workloads = workloadsOf(objects);
            const services = servicesByWorkload(objects, indexWorkloads(workloads));
            for (const workload of workloads) {
                if (workload.pod.longRunning !== true) {
                    continue;
                }
                const serving = containersOf(workload.pod.spec, ["containers", "initContainers"]).filter(
                    (c) => (c.group === "containers" || c.sidecar) && isKnown(c.value),
                );
                const reason = config.readinessForWorkers
                    ? "this policy's readinessForWorkers setting requires it on every long-running workload"
                    : trafficReason(workload, services.get(workload) ?? [], serving);
                for (const container of serving) {
                    const has = (probe: string) => {
                        const value = at(container.value, probe);
                        return value !== undefined && value !== null;
                    };
                    const missing: string[] = [];
                    if (!has("livenessProbe")) {
                        missing.push("livenessProbe (the kubelet restarts a hung process only with one)");
                    }
                    if (reason !== undefined && !has("readinessProbe")) {
                        missing.push(`readinessProbe (required because ${reason})`);
                    }
                    if (missing.length > 0) {
                        report(
                            workload.object,
                            `${describeContainer(container)} has no ${missing.join(" and no ")}. Add ` +
                                `${missing.length === 1 ? "it" : "both"}.`,
                        );
                    }
                }
            }
        },
    },
);

export const ephemeralStorage = podSpecRule(
    {
        name: "ephemeral-storage",
        title: "Ephemeral storage requests and limits",
        family: "workload",
        severity: "medium",
        enforcementLevel: "advisory",
        description:
            "Every container must request and limit ephemeral-storage, with the limit at least the request, so an unbounded " +
            "emptyDir, log or scratch file cannot fill the node's disk and get its neighbours evicted.",
        remediation:
            "Set resources.requests.ephemeral-storage and resources.limits.ephemeral-storage on every container and init container " +
            "(e.g. 64Mi and 1Gi), and a sizeLimit on emptyDir volumes.",
    },
    {
        check({ pod, report }) {
            for (const container of containersOf(pod.spec, ["containers", "initContainers"])) {
                const resources = at(container.value, "resources");
                if (resources === UNKNOWN || !isKnown(container.value)) {
                    continue;
                }
                const request = at(resources, "requests", "ephemeral-storage");
                const limit = at(resources, "limits", "ephemeral-storage");
                const missing = [
                    ["requests", request],
                    ["limits", limit],
                ]
                    .filter(([, v]) => v === undefined || v === null)
                    .map(([k]) => `${k}.ephemeral-storage`);
                if (missing.length > 0) {
                    report(
                        `${describeContainer(container)} does not set resources ${missing.join(" or ")}. Set both, so its disk use ` +
                            "is bounded.",
                    );
                }
                const [r, l] = [parseQuantity(request), parseQuantity(limit)];
                if (r !== undefined && l !== undefined && l < r) {
                    report(
                        `${describeContainer(container)}: limits.ephemeral-storage ${String(limit)} is below ` +
                            `requests.ephemeral-storage ${String(request)}. Raise the limit to at least the request.`,
                    );
                }
            }
        },
    },
);

const SECRET_NAME_PATTERN = "(^|_)(PASSWORD|PASSWD|PASSPHRASE|PWD|TOKEN|SECRET|KEY|APIKEY|CREDENTIALS?)(_|$)";
const NOT_A_SECRET_PATTERN = "_(FILE|PATH|DIR|NAME|URL|URI|ENDPOINT|HOST|PORT)$";

interface SecretEnvConfig {
    namePattern: string;
    ignorePattern: string;
}

export const noPlaintextSecrets = podSpecRule<SecretEnvConfig>(
    {
        name: "no-plaintext-secrets",
        title: "No plaintext secrets in env",
        family: "workload",
        severity: "high",
        description:
            "Environment variables whose names say they hold a credential (PASSWORD, TOKEN, SECRET, KEY, ...) must come from a " +
            "Secret, never a literal value in the pod spec.",
        remediation: "Store the value in a Kubernetes Secret and reference it with env[].valueFrom.secretKeyRef (or envFrom.secretRef).",
        config: {
            namePattern: {
                type: "string",
                minLength: 1,
                default: SECRET_NAME_PATTERN,
                description: "Case-insensitive regular expression for env names that hold credentials.",
            },
            ignorePattern: {
                type: "string",
                minLength: 1,
                default: NOT_A_SECRET_PATTERN,
                description:
                    "Case-insensitive regular expression for names that only point at a credential (a file, a URL, a Secret's name).",
            },
        },
    },
    {
        check({ pod, config, report }) {
            const secretName = new RegExp(config.namePattern, "i");
            const pointer = new RegExp(config.ignorePattern, "i");
            for (const container of containersOf(pod.spec)) {
                const env = items(at(container.value, "env"));
                if (env === UNKNOWN) {
                    continue;
                }
                const literal = env
                    .filter((e) => {
                        const [name, value] = [at(e, "name"), at(e, "value")];
                        return (
                            typeof name === "string" &&
                            typeof value === "string" &&
                            value !== "" &&
                            secretName.test(name) &&
                            !pointer.test(name)
                        );
                    })
                    .map((e) => String(at(e, "name")));
                if (literal.length > 0) {
                    report(
                        `${describeContainer(container)} sets ${literal.join(", ")} as literal values. Move them to a Secret and use ` +
                            "valueFrom.secretKeyRef.",
                    );
                }
            }
        },
    },
);

/** Where the automount switch of an object sits: the pod spec, or the ServiceAccount's top level. */
function automountSwitch(kind: string, props: unknown): { path: readonly string[]; owner: string } | undefined {
    if (kind === "ServiceAccount") {
        return { path: [], owner: "the ServiceAccount" };
    }
    const pod = podView(kind, props);
    return pod && isKnown(pod.spec) ? { path: pod.specPath, owner: "the pod spec" } : undefined;
}

export const automountServiceAccountToken = resourceRule(
    {
        name: "automount-service-account-token",
        title: "Service-account token automount",
        family: "workload",
        severity: "medium",
        description:
            "Pods and ServiceAccounts must not mount the API token by default: automountServiceAccountToken must be false, or true " +
            "as an explicit opt-in where a workload calls the Kubernetes API.",
        remediation:
            "Set automountServiceAccountToken: false on the pod spec and on the ServiceAccount; set it to true only where the " +
            "workload talks to the Kubernetes API.",
    },
    {
        accepts: (api) => api.kind === "ServiceAccount" || carriesPod(api.kind),
        check({ api, props, report }) {
            const found = automountSwitch(api.kind, props);
            if (found && at(props, ...found.path, "automountServiceAccountToken") === undefined) {
                report(
                    `${found.owner} does not set automountServiceAccountToken, so the API token is mounted. Set it to false (or true ` +
                        "to opt in).",
                );
            }
        },
        remediate({ api, props }): Patch[] {
            const found = automountSwitch(api.kind, props);
            return found && at(props, ...found.path, "automountServiceAccountToken") === undefined
                ? [{ path: [...found.path, "automountServiceAccountToken"], value: false }]
                : [];
        },
    },
);

export const WORKLOAD_RULES: readonly Rule[] = [
    readOnlyRootFilesystem,
    containerResources,
    ephemeralStorage,
    healthProbes,
    noPlaintextSecrets,
    automountServiceAccountToken,
];
