// Pure builders for the stateless-service component: arguments in, plain Kubernetes objects out.
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { selectorLabels } from "../shared/labels";
import { ADMIN_PATHS, ADMIN_PORT } from "../shared/topology";
import type { ResourceSpec } from "../shared/resources";
import {
    type BuiltContainer,
    clusterIpServiceSpec,
    hardenedContainer,
    podTemplate as workloadPodTemplate,
    Probe,
    type Scratch,
    TMP,
} from "../shared/workload";

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
    /**
     * HPA bounds, utilization targets (@default 70 % CPU, 80 % memory) and how long a lower
     * recommendation must last before it scales down (@default 300 s, Kubernetes' own); no
     * HorizontalPodAutoscaler when undefined. @default undefined
     */
    autoscaling?: {
        minReplicas: number;
        maxReplicas: number;
        cpuUtilization?: number;
        memoryUtilization?: number;
        scaleDownStabilizationSeconds?: number;
    };
    /** Port the container serves its public API on; the Service exposes this port and no other. @default 8080 */
    port?: number;
    /**
     * Port of the container's admin listener (probes, and metrics where it exports them), named "admin":
     * off the Service and so off every public path. @default ADMIN_PORT (9464)
     */
    adminPort?: number;
    /** Where Prometheus scrapes metrics; "none" for a workload that exports none. @default the admin port, /metrics */
    metrics?: { port: number; path: string } | "none";
    /**
     * Liveness ("must it be restarted?") and readiness ("can it serve now?") of the main container, and its
     * startup probe. @default GET /health and GET /ready on the admin port
     */
    probes?: {
        liveness: k8s.types.input.core.v1.Probe;
        readiness: k8s.types.input.core.v1.Probe;
        /** What must hold once before the others start. @default the liveness check, every 2 s for up to 60 s */
        startup?: k8s.types.input.core.v1.Probe;
    };
    /** Environment of the main container; secrets only as secretKeyRef. @default [] */
    env?: Input<Input<k8s.types.input.core.v1.EnvVar>[]>;
    /** Paths the image writes to, each a size-limited emptyDir (the root filesystem is read-only). @default [TMP] (/tmp, 64Mi) */
    scratch?: Scratch[];
    /** Files mounted from a ConfigMap; a change rolls the pods (the content's hash is an annotation). @default [] */
    configFiles?: ConfigFile[];
    /**
     * Hash of the generated credentials the pods read or trust (GeneratedSecretResult.checksum); a rotation
     * changes it and so rolls them. @default none
     */
    secretsChecksum?: Input<string>;
    /** Extra containers, e.g. a metrics exporter, built with hardenedContainer. @default [] */
    sidecars?: BuiltContainer[];
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
    /**
     * A schema migration Job run from the same image before the Deployment rolls (the provider waits for
     * it to complete); none when undefined.
     */
    migration?: {
        /** Workload name of the Job's pods, e.g. auth-migrate: not selected by the service's Service. */
        workload: string;
        /** The database client env (DATABASE_*). */
        env: Input<Input<k8s.types.input.core.v1.EnvVar>[]>;
        /** NetworkPolicy of the Job's pods (egress to the database and DNS). */
        networkPolicy?: k8s.types.input.networking.v1.NetworkPolicySpec;
    };
}

export type ResolvedServiceArgs = Required<Omit<StatelessServiceArgs, "autoscaling" | "networkPolicy" | "migration" | "secretsChecksum">> &
    Pick<StatelessServiceArgs, "autoscaling" | "networkPolicy" | "migration" | "secretsChecksum">;

/** The platform's HTTP services answer /health (alive) and /ready (dependencies reachable) on their admin port. */
export const DEFAULT_PROBES = {
    liveness: Probe.http(ADMIN_PATHS.liveness, "admin", { periodSeconds: 10, failureThreshold: 3 }),
    readiness: Probe.http(ADMIN_PATHS.readiness, "admin", { periodSeconds: 5, failureThreshold: 2 }),
};

/** Applies the defaults documented on StatelessServiceArgs; the only place they live. */
export function resolveServiceArgs(args: StatelessServiceArgs): ResolvedServiceArgs {
    const port = args.port ?? 8080;
    const adminPort = args.adminPort ?? ADMIN_PORT;
    if (adminPort === port) {
        // A programming error in a caller, not a user's config: the stack config has no port keys.
        throw new Error(`adminPort ${adminPort} must differ from port ${port}: probes and metrics would be public`);
    }
    return {
        replicas: 1,
        port,
        adminPort,
        metrics: { port: adminPort, path: ADMIN_PATHS.metrics },
        probes: DEFAULT_PROBES,
        env: [],
        scratch: [TMP],
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

/** The pod of a service: its main container (and sidecars) on the shared workload layer. */
export function podTemplate(
    name: string,
    args: ResolvedServiceArgs,
    configMapName: Input<string> | undefined,
    checksum: Input<string> | undefined,
): k8s.types.input.core.v1.PodTemplateSpec {
    const main = hardenedContainer({
        name,
        image: args.image,
        resources: args.resources,
        ports: { http: args.port, admin: args.adminPort },
        env: args.env,
        probes: {
            ...args.probes,
            startup: args.probes.startup ?? { ...args.probes.liveness, periodSeconds: 2, failureThreshold: 30 },
        },
        // Endpoints are removed asynchronously after the pod starts terminating; pausing first lets
        // load balancers and kube-proxy stop sending traffic before the process begins to shut down.
        lifecycle: { preStop: { sleep: { seconds: args.drainSeconds } } },
        scratch: args.scratch,
        mounts: args.configFiles.map((file) => ({
            name: "config",
            mountPath: `${file.mountPath}/${file.name}`,
            subPath: file.name,
            readOnly: true,
        })),
    });
    return workloadPodTemplate({
        workload: name,
        component: args.component,
        uid: args.runAsUser,
        containers: [main, ...args.sidecars],
        volumes: configMapName !== undefined ? [{ name: "config", configMap: { name: configMapName } }] : [],
        scrape: args.metrics === "none" ? undefined : args.metrics,
        configChecksum: checksum,
        secretsChecksum: args.secretsChecksum,
        terminationGracePeriodSeconds: args.terminationGracePeriodSeconds,
        spreadAcrossNodes: args.spreadAcrossNodes,
    });
}

export function deploymentSpec(
    name: string,
    args: ResolvedServiceArgs,
    template: k8s.types.input.core.v1.PodTemplateSpec,
): k8s.types.input.apps.v1.DeploymentSpec {
    return {
        // With an HPA the Deployment starts at the HPA's floor, so the provider's await waits for that many
        // Ready pods (left unset it would wait for one); the component ignores later changes to it, so the
        // HPA keeps the live count (the provider drops an ignored field another manager owns).
        replicas: minimumReplicas(args),
        revisionHistoryLimit: 5,
        selector: { matchLabels: selectorLabels(name) },
        // Never go below the desired count during a rollout; surge instead.
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template,
    };
}

/** The public port only: the admin port is reached on the pod (probes from the node, scrapes from Prometheus). */
export function serviceSpec(name: string, args: ResolvedServiceArgs): k8s.types.input.core.v1.ServiceSpec {
    return clusterIpServiceSpec(name, { http: args.port }, args.serviceType);
}

/**
 * Kubernetes' own default: five minutes of lower load before an HPA removes pods, so a short lull between
 * bursts does not scale away capacity needed again a minute later.
 */
export const DEFAULT_SCALE_DOWN_STABILIZATION_SECONDS = 300;

export function hpaSpec(
    name: string,
    autoscaling: NonNullable<StatelessServiceArgs["autoscaling"]>,
): k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec {
    const utilization = (resource: string, averageUtilization: number) => ({
        type: "Resource",
        resource: { name: resource, target: { type: "Utilization", averageUtilization } },
    });
    return {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
        minReplicas: autoscaling.minReplicas,
        maxReplicas: autoscaling.maxReplicas,
        metrics: [utilization("cpu", autoscaling.cpuUtilization ?? 70), utilization("memory", autoscaling.memoryUtilization ?? 80)],
        // Written out even at the default, so the live object says how long scale-down waits.
        behavior: {
            scaleDown: {
                stabilizationWindowSeconds: autoscaling.scaleDownStabilizationSeconds ?? DEFAULT_SCALE_DOWN_STABILIZATION_SECONDS,
            },
        },
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
