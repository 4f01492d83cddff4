// Pure builders for the stateless-service component: arguments in, plain Kubernetes objects out.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { commonLabels, selectorLabels } from "../shared/labels";
import { ResourceSpec } from "../shared/resources";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, writableScratch } from "../shared/security";

type Input<T> = pulumi.Input<T>;

/** A file mounted read-only into the main container from the service's ConfigMap. */
export interface ConfigFile {
    /** Key in the ConfigMap and file name. */
    name: string;
    /** Directory it is mounted in. */
    mountPath: string;
    content: Input<string>;
}

export interface StatelessServiceArgs {
    /** Namespace to deploy into. */
    namespace: Input<string>;
    /** Image reference, pinned to a tag or digest (config validation guarantees it). */
    image: string;
    /** Requests and limits of the main container. */
    resources: ResourceSpec;
    /** Replicas when autoscaling is off. @default 1 */
    replicas?: number;
    /** HPA bounds; no HorizontalPodAutoscaler when undefined. @default undefined */
    autoscaling?: { minReplicas: number; maxReplicas: number; cpuUtilization?: number; memoryUtilization?: number };
    /** Port the container serves HTTP on; the Service exposes the same port. @default 8080 */
    port?: number;
    /** Where Prometheus scrapes metrics. @default the main port, /metrics */
    metrics?: { port: number; path: string };
    /** Liveness and readiness endpoints on the main port. @default /health and /ready */
    probes?: { liveness: string; readiness: string };
    /** Environment of the main container; secrets only as secretKeyRef. @default [] */
    env?: Input<Input<k8s.types.input.core.v1.EnvVar>[]>;
    /** Paths the image writes to, mounted as emptyDir since the root filesystem is read-only. @default ["/tmp"] */
    writablePaths?: string[];
    /** Files mounted from a ConfigMap; a change rolls the pods (the content's hash is an annotation). @default [] */
    configFiles?: ConfigFile[];
    /** Extra containers, e.g. a metrics exporter; hardened and resourced by the caller. @default [] */
    sidecars?: k8s.types.input.core.v1.Container[];
    /** Non-root UID the pod runs as. @default 10001 */
    runAsUser?: number;
    /** Spread replicas across nodes and zones. @default false */
    spreadAcrossNodes?: boolean;
    /** Service type; LoadBalancer only for the public entry point. @default "ClusterIP" */
    serviceType?: "ClusterIP" | "LoadBalancer";
    /** NetworkPolicy for the pods; none when undefined (the namespace's default deny still applies). */
    networkPolicy?: k8s.types.input.networking.v1.NetworkPolicySpec;
    /** A VerticalPodAutoscaler in recommendation mode (needs the VPA CRDs). @default false */
    verticalPodAutoscaling?: boolean;
    /** Seconds between SIGTERM and SIGKILL. @default 30 */
    terminationGracePeriodSeconds?: number;
    /** Seconds the preStop hook waits so endpoints drain before the process is told to stop. @default 5 */
    drainSeconds?: number;
    /** `app.kubernetes.io/component` label. @default "api" */
    component?: string;
}

export type ResolvedServiceArgs = Required<Omit<StatelessServiceArgs, "autoscaling" | "networkPolicy">> &
    Pick<StatelessServiceArgs, "autoscaling" | "networkPolicy">;

/** Applies the defaults documented on StatelessServiceArgs; the only place they live. */
export function resolveServiceArgs(args: StatelessServiceArgs): ResolvedServiceArgs {
    const port = args.port ?? 8080;
    return {
        replicas: 1,
        port,
        metrics: { port, path: "/metrics" },
        probes: { liveness: "/health", readiness: "/ready" },
        env: [],
        writablePaths: ["/tmp"],
        configFiles: [],
        sidecars: [],
        runAsUser: 10001,
        spreadAcrossNodes: false,
        serviceType: "ClusterIP",
        verticalPodAutoscaling: false,
        terminationGracePeriodSeconds: 30,
        drainSeconds: 5,
        component: "api",
        ...definedOnly(args),
        namespace: args.namespace,
        image: args.image,
        resources: args.resources,
    };
}

function definedOnly<T extends object>(value: T): Partial<T> {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Pods of more than one replica get a PodDisruptionBudget; a single replica cannot keep one satisfied. */
export function minimumReplicas(args: ResolvedServiceArgs): number {
    return args.autoscaling ? args.autoscaling.minReplicas : args.replicas;
}

/** A hash of the mounted config, so a config change rolls the pods instead of leaving them stale. */
export function configChecksum(contents: readonly string[]): string {
    // FNV-1a: tiny, dependency-free and stable; this is change detection, not security.
    let hash = 0x811c9dc5;
    for (const char of contents.join("\u0000")) {
        hash ^= char.codePointAt(0) ?? 0;
        hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash.toString(16).padStart(8, "0");
}

export function podTemplate(
    name: string,
    args: ResolvedServiceArgs,
    configMapName: Input<string> | undefined,
    checksum: Input<string> | undefined,
): k8s.types.input.core.v1.PodTemplateSpec {
    const scratch = writableScratch(args.writablePaths);
    const configMounts: k8s.types.input.core.v1.VolumeMount[] = args.configFiles.map((file) => ({
        name: "config",
        mountPath: `${file.mountPath}/${file.name}`,
        subPath: file.name,
        readOnly: true,
    }));
    const mainContainer: k8s.types.input.core.v1.Container = {
        name,
        image: args.image,
        imagePullPolicy: "IfNotPresent",
        ports: [{ name: "http", containerPort: args.port, protocol: "TCP" }],
        env: args.env,
        resources: args.resources,
        securityContext: restrictedContainerSecurityContext(),
        livenessProbe: httpProbe(args.probes.liveness, { periodSeconds: 10, failureThreshold: 3 }),
        readinessProbe: httpProbe(args.probes.readiness, { periodSeconds: 5, failureThreshold: 2 }),
        startupProbe: httpProbe(args.probes.liveness, { periodSeconds: 2, failureThreshold: 30 }),
        // Endpoints are removed asynchronously after the pod starts terminating; pausing first lets
        // load balancers and kube-proxy stop sending traffic before the process begins to shut down.
        lifecycle: { preStop: { sleep: { seconds: args.drainSeconds } } },
        volumeMounts: [...scratch.mounts, ...configMounts],
    };
    const volumes: k8s.types.input.core.v1.Volume[] = [...scratch.volumes];
    if (configMapName !== undefined) {
        volumes.push({ name: "config", configMap: { name: configMapName } });
    }
    return {
        metadata: {
            labels: commonLabels(name, args.component),
            annotations: {
                "prometheus.io/scrape": "true",
                "prometheus.io/port": String(args.metrics.port),
                "prometheus.io/path": args.metrics.path,
                ...(checksum !== undefined ? { "blog.example.com/config-checksum": checksum } : {}),
            },
        },
        spec: {
            serviceAccountName: name,
            // None of the platform's services talk to the Kubernetes API.
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext(args.runAsUser),
            terminationGracePeriodSeconds: args.terminationGracePeriodSeconds,
            containers: [mainContainer, ...args.sidecars],
            volumes,
            topologySpreadConstraints: args.spreadAcrossNodes ? spreadConstraints(name) : undefined,
        },
    };
}

function httpProbe(path: string, timing: { periodSeconds: number; failureThreshold: number }): k8s.types.input.core.v1.Probe {
    return { httpGet: { path, port: "http" }, timeoutSeconds: 2, ...timing };
}

/**
 * Soft spreading (ScheduleAnyway): a cluster with fewer nodes or zones than replicas still schedules
 * every pod instead of leaving some Pending during an incident.
 */
export function spreadConstraints(name: string): k8s.types.input.core.v1.TopologySpreadConstraint[] {
    return ["kubernetes.io/hostname", "topology.kubernetes.io/zone"].map((topologyKey) => ({
        maxSkew: 1,
        topologyKey,
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels: selectorLabels(name) },
    }));
}

export function deploymentSpec(name: string, args: ResolvedServiceArgs, template: k8s.types.input.core.v1.PodTemplateSpec): k8s.types.input.apps.v1.DeploymentSpec {
    return {
        // With an HPA the replica count belongs to the HPA: setting it here would reset the live count
        // on every update.
        replicas: args.autoscaling ? undefined : args.replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: selectorLabels(name) },
        // Never go below the desired count during a rollout; surge instead.
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template,
    };
}

export function serviceSpec(name: string, args: ResolvedServiceArgs): k8s.types.input.core.v1.ServiceSpec {
    return {
        type: args.serviceType,
        selector: selectorLabels(name),
        ports: [{ name: "http", port: args.port, targetPort: "http", protocol: "TCP" }],
    };
}

export function hpaSpec(name: string, autoscaling: NonNullable<StatelessServiceArgs["autoscaling"]>): k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec {
    const utilization = (resource: string, averageUtilization: number) => ({
        type: "Resource",
        resource: { name: resource, target: { type: "Utilization", averageUtilization } },
    });
    return {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
        minReplicas: autoscaling.minReplicas,
        maxReplicas: autoscaling.maxReplicas,
        metrics: [utilization("cpu", autoscaling.cpuUtilization ?? 70), utilization("memory", autoscaling.memoryUtilization ?? 80)],
    };
}

export function pdbSpec(name: string): k8s.types.input.policy.v1.PodDisruptionBudgetSpec {
    // maxUnavailable rather than minAvailable: it keeps allowing one voluntary disruption whatever the
    // HPA scales to, so node drains never deadlock.
    return { maxUnavailable: 1, selector: { matchLabels: selectorLabels(name) } };
}

export function vpaSpec(name: string): Record<string, unknown> {
    return {
        targetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
        // Recommendations only: applying them would fight the HPA, which scales on the same CPU/memory.
        updatePolicy: { updateMode: "Off" },
    };
}
