// The one workload layer: hardened containers and pod templates, probes, the scrape and config-checksum
// annotations, claim templates and Services. Every workload (services, gateway, data stores, monitoring)
// is built from these, so the restricted profile, resources and probes hold by construction.
import { createHash } from "node:crypto";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { annotationKey, commonLabels, DEFAULT_LABELLING, selectorLabels } from "./labels";
import { formatMebibytes, parseQuantity } from "./quantity";
import type { ResourceSpec } from "./resources";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "./security";

type Input<T> = pulumi.Input<T>;
type Container = k8s.types.input.core.v1.Container;
type Volume = k8s.types.input.core.v1.Volume;
type VolumeMount = k8s.types.input.core.v1.VolumeMount;
type ProbeSpec = k8s.types.input.core.v1.Probe;
type PodTemplateSpec = k8s.types.input.core.v1.PodTemplateSpec;

/** How often a probe runs and how many failures in a row count. */
export interface ProbeTiming {
    periodSeconds: number;
    failureThreshold: number;
    /** @default 3 */
    timeoutSeconds?: number;
}

/** Probes, named for what they check. */
export const Probe = {
    /** An HTTP GET answered 2xx/3xx on a named container port. */
    http: (path: string, port: string, timing: ProbeTiming): ProbeSpec => ({ httpGet: { path, port }, timeoutSeconds: 3, ...timing }),
    /** A command exiting 0 inside the container. */
    exec: (command: string[], timing: ProbeTiming): ProbeSpec => ({ exec: { command }, timeoutSeconds: 5, ...timing }),
    /** The port accepts a TCP connection: the process is alive, whether or not it can serve yet. */
    tcp: (port: string, timing: ProbeTiming): ProbeSpec => ({ tcpSocket: { port }, timeoutSeconds: 3, ...timing }),
};

/** A path the image writes to, backed by a size-limited emptyDir (the root filesystem is read-only). */
export interface Scratch {
    path: string;
    /** The emptyDir's sizeLimit: the kubelet evicts the pod beyond it, instead of the node's disk filling. */
    size: string;
    /** Volume name. @default "scratch" plus the path, e.g. scratch-var-run-postgresql */
    name?: string;
}

/** Scratch space most images need: /tmp, 64Mi. */
export const TMP: Scratch = { path: "/tmp", size: "64Mi" };

/** Writable layer and logs a container may use beyond its scratch volumes; part of its ephemeral-storage limit. */
export const LOG_ALLOWANCE = "128Mi";
/** What each container asks the scheduler for in local disk. */
export const EPHEMERAL_REQUEST = "32Mi";

export const scratchName = (scratch: Scratch) => scratch.name ?? `scratch${scratch.path.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}`;

export interface ContainerArgs {
    name: string;
    /** Pinned image reference. */
    image: Input<string>;
    /** CPU and memory; ephemeral-storage is added from the scratch volumes and LOG_ALLOWANCE. */
    resources: ResourceSpec;
    /** Named container ports. @default {} */
    ports?: Record<string, number>;
    /** Replaces the image's entrypoint. @default the image's */
    command?: string[];
    args?: Input<string>[];
    /** Secrets only as secretKeyRef. @default [] */
    env?: Input<Input<k8s.types.input.core.v1.EnvVar>[]>;
    /**
     * Liveness answers "must it be restarted?", readiness "can it serve now?": they must differ. Only a
     * run-to-completion container (a Job's) has none: nothing routes to it and it ends on its own.
     */
    probes: { liveness: ProbeSpec; readiness: ProbeSpec; startup?: ProbeSpec } | "run-to-completion";
    /** Writable paths, each an emptyDir of its own. @default [] */
    scratch?: readonly Scratch[];
    /** Mounts of the pod's other volumes (config, claims). @default [] */
    mounts?: VolumeMount[];
    lifecycle?: k8s.types.input.core.v1.Lifecycle;
}

/** A container and the scratch volumes it brings into its pod. */
export interface BuiltContainer {
    container: Container;
    volumes: Volume[];
}

/**
 * A container that passes the restricted profile, with requests and limits for CPU, memory and local
 * disk (its scratch volumes plus LOG_ALLOWANCE), and distinct liveness and readiness probes.
 */
export function hardenedContainer(c: ContainerArgs): BuiltContainer {
    const probes = c.probes === "run-to-completion" ? undefined : c.probes;
    if (probes && JSON.stringify(probes.liveness) === JSON.stringify(probes.readiness)) {
        throw new Error(`${c.name}: liveness and readiness must check different things (restart vs. serve now)`);
    }
    const scratch = c.scratch ?? [];
    const disk = [LOG_ALLOWANCE, ...scratch.map((s) => s.size)].reduce((sum, size) => sum + (parseQuantity(size) ?? 0), 0);
    return {
        container: {
            name: c.name,
            image: c.image,
            imagePullPolicy: "IfNotPresent",
            command: c.command,
            args: c.args,
            env: c.env,
            ports: Object.entries(c.ports ?? {}).map(([name, containerPort]) => ({ name, containerPort, protocol: "TCP" })),
            resources: {
                requests: { ...c.resources.requests, "ephemeral-storage": EPHEMERAL_REQUEST },
                limits: { ...c.resources.limits, "ephemeral-storage": formatMebibytes(disk) },
            },
            securityContext: restrictedContainerSecurityContext(),
            livenessProbe: probes?.liveness,
            readinessProbe: probes?.readiness,
            startupProbe: probes?.startup,
            lifecycle: c.lifecycle,
            volumeMounts: [...(c.mounts ?? []), ...scratch.map((s) => ({ name: scratchName(s), mountPath: s.path }))],
        },
        volumes: scratch.map((s) => ({ name: scratchName(s), emptyDir: { sizeLimit: s.size } })),
    };
}

/** An environment variable read from a Secret key, never a literal. */
export function secretEnv(envName: string, secretName: Input<string>, key: string): k8s.types.input.core.v1.EnvVar {
    return { name: envName, valueFrom: { secretKeyRef: { name: secretName, key } } };
}

/** The config-checksum annotation's key under DEFAULT_LABELLING; pods get configChecksumAnnotation()'s. */
export const CONFIG_CHECKSUM_ANNOTATION = `${DEFAULT_LABELLING.annotationPrefix}/config-checksum`;
/** Hash of the generated credentials a pod reads or trusts: a rotation changes it and so rolls the pods. Under DEFAULT_LABELLING. */
export const SECRETS_CHECKSUM_ANNOTATION = `${DEFAULT_LABELLING.annotationPrefix}/secrets-checksum`;
/** The config-checksum annotation's key under the program's labelling. */
export const configChecksumAnnotation = (): string => annotationKey("config-checksum");
/** The secrets-checksum annotation's key under the program's labelling. */
export const secretsChecksumAnnotation = (): string => annotationKey("secrets-checksum");

/** A hash of mounted config files, so a change rolls the pods instead of leaving them stale. */
export function configChecksum(files: Record<string, string>): string {
    const hash = createHash("sha256");
    for (const key of Object.keys(files).sort()) {
        hash.update(`${key}\u0000${files[key]}\u0000`);
    }
    return hash.digest("hex").slice(0, 16);
}

/** Annotations that opt a pod into the annotation-driven scrape job. */
export function scrapeAnnotations(port: number, path = "/metrics"): Record<string, string> {
    return { "prometheus.io/scrape": "true", "prometheus.io/port": String(port), "prometheus.io/path": path };
}

export interface PodArgs {
    /** Workload name: labels, selector and service account. */
    workload: string;
    /** `app.kubernetes.io/component` label. */
    component: string;
    /** Non-root UID (and fsGroup) the pod runs as. */
    uid: number;
    containers: BuiltContainer[];
    /** Run to completion, in order, before the containers start (they mount the pod's volumes by name). @default [] */
    initContainers?: BuiltContainer[];
    /** Volumes besides the containers' scratch (config, secrets, claims). @default [] */
    volumes?: Volume[];
    /** Mount a service-account token: only for workloads that read the Kubernetes API. @default false */
    apiAccess?: boolean;
    /** The pod's own ServiceAccount. @default the workload's name; false uses the namespace default */
    serviceAccount?: boolean;
    /** Where Prometheus scrapes the pod; not scraped when undefined. */
    scrape?: { port: number; path?: string };
    /** Hash of the pod's config (configChecksum); a change rolls the pods. */
    configChecksum?: Input<string>;
    /** Hash of the generated credentials it reads (GeneratedSecretResult.checksum); a rotation rolls the pods. */
    secretsChecksum?: Input<string>;
    /** Seconds between SIGTERM and SIGKILL. @default Kubernetes' 30 */
    terminationGracePeriodSeconds?: number;
    /** Soft spreading across nodes and zones. @default false */
    spreadAcrossNodes?: boolean;
    /** Never for a Job's pods (each failure leaves its pod and logs); @default Kubernetes' Always */
    restartPolicy?: "Never";
}

export function podTemplate(p: PodArgs): PodTemplateSpec {
    const initContainers = p.initContainers ?? [];
    const volumes = [...(p.volumes ?? []), ...[...initContainers, ...p.containers].flatMap((c) => c.volumes)];
    // The API server rejects a pod whose volumes share a name; say which at build time instead.
    const names = volumes.map((volume) => volume.name as string);
    const duplicates = [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
    if (duplicates.length > 0) {
        throw new Error(`${p.workload}: pod volumes must have unique names (duplicated: ${duplicates.join(", ")})`);
    }
    const annotations = {
        ...(p.scrape ? scrapeAnnotations(p.scrape.port, p.scrape.path) : {}),
        ...(p.configChecksum !== undefined ? { [configChecksumAnnotation()]: p.configChecksum } : {}),
        ...(p.secretsChecksum !== undefined ? { [secretsChecksumAnnotation()]: p.secretsChecksum } : {}),
    };
    return {
        metadata: {
            labels: commonLabels(p.workload, p.component),
            annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
        },
        spec: {
            serviceAccountName: p.serviceAccount === false ? undefined : p.workload,
            automountServiceAccountToken: p.apiAccess ?? false,
            securityContext: restrictedPodSecurityContext(p.uid),
            terminationGracePeriodSeconds: p.terminationGracePeriodSeconds,
            restartPolicy: p.restartPolicy,
            initContainers: initContainers.length > 0 ? initContainers.map((c) => c.container) : undefined,
            containers: p.containers.map((c) => c.container),
            volumes,
            topologySpreadConstraints: p.spreadAcrossNodes ? spreadConstraints(p.workload) : undefined,
        },
    };
}

/**
 * Soft spreading (ScheduleAnyway): a cluster with fewer nodes or zones than replicas still schedules
 * every pod instead of leaving some Pending during an incident.
 */
export function spreadConstraints(workload: string): k8s.types.input.core.v1.TopologySpreadConstraint[] {
    return ["kubernetes.io/hostname", "topology.kubernetes.io/zone"].map((topologyKey) => ({
        maxSkew: 1,
        topologyKey,
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels: selectorLabels(workload) },
    }));
}

/** A claim per replica, labelled with the workload's selector. */
export function claimTemplate(
    workload: string,
    name: string,
    size: string,
    storageClass?: string,
): k8s.types.input.core.v1.PersistentVolumeClaim {
    return {
        metadata: { name, labels: selectorLabels(workload) },
        spec: { accessModes: ["ReadWriteOnce"], storageClassName: storageClass, resources: { requests: { storage: size } } },
    };
}

const servicePorts = (ports: Record<string, number>) =>
    Object.entries(ports).map(([name, port]) => ({ name, port, targetPort: name, protocol: "TCP" }));

/** A Service with a virtual IP in front of one workload's pods, by named port. */
export function clusterIpServiceSpec(
    workload: string,
    ports: Record<string, number>,
    type: "ClusterIP" | "LoadBalancer" = "ClusterIP",
): k8s.types.input.core.v1.ServiceSpec {
    return { type, selector: selectorLabels(workload), ports: servicePorts(ports) };
}

/** A headless Service: stable per-pod DNS names for a StatefulSet, no virtual IP. */
export function headlessServiceSpec(workload: string, ports: Record<string, number>): k8s.types.input.core.v1.ServiceSpec {
    return { clusterIP: "None", selector: selectorLabels(workload), ports: servicePorts(ports) };
}

/** A single-replica Deployment that replaces its pod rather than running two side by side. */
export function singleReplicaDeploymentSpec(workload: string, template: PodTemplateSpec): k8s.types.input.apps.v1.DeploymentSpec {
    return {
        replicas: 1,
        revisionHistoryLimit: 5,
        selector: { matchLabels: selectorLabels(workload) },
        strategy: { type: "Recreate" },
        template,
    };
}

/** A one-replica StatefulSet with its claims; `keepClaims` decides whether deleting it deletes the data. */
export function statefulSetSpec(
    workload: string,
    template: PodTemplateSpec,
    claims: k8s.types.input.core.v1.PersistentVolumeClaim[],
    keepClaims: boolean,
): k8s.types.input.apps.v1.StatefulSetSpec {
    return {
        serviceName: workload,
        replicas: 1,
        selector: { matchLabels: selectorLabels(workload) },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: keepClaims ? "Retain" : "Delete", whenScaled: "Retain" },
        template,
        volumeClaimTemplates: claims.length > 0 ? claims : undefined,
    };
}

/** How long a run-to-completion Job may try, and how long its finished pods stay for their logs. */
export interface JobLimits {
    /** Failed pods before the Job fails. */
    backoffLimit: number;
    /** Wall-clock seconds before the Job is failed, however many retries remain. */
    activeDeadlineSeconds: number;
    /** Seconds a finished Job (and its pods' logs) stays before the cluster deletes it. */
    ttlSecondsAfterFinished: number;
}

/** A Job that runs its pod to completion once, retried at most `backoffLimit` times. */
export function jobSpec(template: PodTemplateSpec, limits: JobLimits): k8s.types.input.batch.v1.JobSpec {
    return { ...limits, completions: 1, parallelism: 1, template };
}
