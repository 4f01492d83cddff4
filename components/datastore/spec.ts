// The StatefulSet shape shared by the data stores, on the shared workload layer: one hardened container,
// a headless Service for a stable DNS name, and claims that outlive the StatefulSet.
import type * as k8s from "@pulumi/kubernetes";
import type { ResourceSpec } from "../shared/resources";
import { claimTemplate, hardenedContainer, podTemplate, Probe, type Scratch, statefulSetSpec } from "../shared/workload";

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
}

export function statefulStoreSpec(a: StatefulStoreSpecArgs): k8s.types.input.apps.v1.StatefulSetSpec {
    const ephemeralData: Scratch[] = a.storage ? [] : [{ name: "data", path: a.dataPath, size: a.ephemeralDataSize ?? "256Mi" }];
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
        mounts: a.storage ? [{ name: "data", mountPath: a.dataPath }] : [],
        scratch: [...ephemeralData, ...a.scratch],
    });
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
            terminationGracePeriodSeconds: a.terminationGracePeriodSeconds,
        }),
        a.storage ? [claimTemplate(a.name, "data", a.storage.size, a.storage.storageClass)] : [],
        true,
    );
}
