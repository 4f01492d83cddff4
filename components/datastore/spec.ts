// The StatefulSet shape shared by the data stores, on the shared workload layer: one hardened container,
// a headless Service for stable pod names, a ClusterIP Service for clients, and claims that outlive the StatefulSet.
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ResourceSpec } from "../shared/resources";
import { claimTemplate, hardenedContainer, podTemplate, Probe, type Scratch, scratchName, statefulSetSpec } from "../shared/workload";

/** A step run to completion before the store starts: the store's image, data and scratch, its own command. */
export interface StoreSetupStep {
    /** Init container name, saying what it does. */
    name: string;
    /** Replaces the image's entrypoint; holds no secret (those come through env). */
    command: string[];
    env: k8s.types.input.core.v1.EnvVar[];
}

export interface StatefulStoreSpecArgs {
    name: string;
    image: string;
    port: number;
    resources: ResourceSpec;
    /** Non-root UID (and fsGroup) the image's own user has, so its data files keep their usual owner. */
    uid: number;
    env: k8s.types.input.core.v1.EnvVar[];
    args?: string[];
    /** Command that succeeds when the store answers queries: the readiness check ("can it serve now?"). */
    readinessCommand: string[];
    /** Where the data volume is mounted. */
    dataPath: string;
    /** A claim per replica when set; a size-limited emptyDir (data lost on restart) when undefined. */
    storage?: { size: string; storageClass?: string };
    /** Size of the data emptyDir when there is no claim. @default "256Mi" */
    ephemeralDataSize?: string;
    /** Other paths the image writes to. */
    scratch: Scratch[];
    terminationGracePeriodSeconds: number;
    /** Run before every start of the store, e.g. to apply a rotated password. @default none */
    setup?: StoreSetupStep;
    /** Hash of the credentials the store reads (GeneratedSecretResult.checksum): a rotation rolls it. @default none */
    secretsChecksum?: pulumi.Input<string>;
}

export function statefulStoreSpec(a: StatefulStoreSpecArgs): k8s.types.input.apps.v1.StatefulSetSpec {
    const ephemeralData: Scratch[] = a.storage ? [] : [{ name: "data", path: a.dataPath, size: a.ephemeralDataSize ?? "256Mi" }];
    const scratch = [...ephemeralData, ...a.scratch];
    const dataMounts = a.storage ? [{ name: "data", mountPath: a.dataPath }] : [];
    const store = hardenedContainer({
        name: a.name,
        image: a.image,
        args: a.args,
        env: a.env,
        ports: { tcp: a.port },
        resources: a.resources,
        probes: {
            readiness: Probe.exec(a.readinessCommand, { periodSeconds: 5, failureThreshold: 3 }),
            // Restart only when the process no longer accepts connections: a store replaying its log
            // or loading its dataset is alive but not ready, and restarting it would only start over.
            liveness: Probe.tcp("tcp", { periodSeconds: 15, failureThreshold: 6 }),
            startup: Probe.tcp("tcp", { periodSeconds: 5, failureThreshold: 60 }),
        },
        mounts: dataMounts,
        scratch,
    });
    // The setup step sees what the store will see: the same data and scratch volumes, mounted by name.
    const setup = a.setup
        ? hardenedContainer({
              name: a.setup.name,
              image: a.image,
              command: a.setup.command,
              env: a.setup.env,
              resources: a.resources,
              probes: "run-to-completion",
              mounts: [...dataMounts, ...scratch.map((s) => ({ name: scratchName(s), mountPath: s.path }))],
          })
        : undefined;
    // Claims are kept when the StatefulSet is deleted or scaled down: data goes only by explicit
    // choice, never as a side effect of an update.
    return statefulSetSpec(
        a.name,
        podTemplate({
            workload: a.name,
            component: "datastore",
            uid: a.uid,
            serviceAccount: false,
            containers: [store],
            initContainers: setup ? [setup] : [],
            secretsChecksum: a.secretsChecksum,
            terminationGracePeriodSeconds: a.terminationGracePeriodSeconds,
        }),
        a.storage ? [claimTemplate(a.name, "data", a.storage.size, a.storage.storageClass)] : [],
        true,
    );
}
