// The StatefulSet shape shared by the data stores: one hardened container, a headless Service for a
// stable DNS name, and claims that outlive the StatefulSet.
import * as k8s from "@pulumi/kubernetes";
import { commonLabels, selectorLabels } from "../shared/labels";
import { ResourceSpec } from "../shared/resources";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, writableScratch } from "../shared/security";

export interface StatefulStoreSpecArgs {
    name: string;
    image: string;
    port: number;
    resources: ResourceSpec;
    /** Non-root UID (and fsGroup) the image's own user has, so its data files keep their usual owner. */
    uid: number;
    env: k8s.types.input.core.v1.EnvVar[];
    args?: string[];
    /** Command run by the readiness and liveness probes. */
    probeCommand: string[];
    /** Where the data volume is mounted. */
    dataPath: string;
    /** A claim per replica when set; an emptyDir (data lost on restart) when undefined. */
    storage?: { size: string; storageClass?: string };
    /** Other paths the image writes to. */
    writablePaths: string[];
    terminationGracePeriodSeconds: number;
}

export function headlessServiceSpec(name: string, port: number): k8s.types.input.core.v1.ServiceSpec {
    return {
        clusterIP: "None",
        selector: selectorLabels(name),
        ports: [{ name: "tcp", port, targetPort: port, protocol: "TCP" }],
    };
}

export function statefulStoreSpec(a: StatefulStoreSpecArgs): k8s.types.input.apps.v1.StatefulSetSpec {
    const scratch = writableScratch(a.writablePaths);
    const probe = (periodSeconds: number, failureThreshold: number) => ({
        exec: { command: a.probeCommand }, periodSeconds, failureThreshold, timeoutSeconds: 5,
    });
    const dataVolume = a.storage ? [] : [{ name: "data", emptyDir: {} }];
    return {
        serviceName: a.name,
        replicas: 1,
        selector: { matchLabels: selectorLabels(a.name) },
        // Claims are kept when the StatefulSet is deleted or scaled down: data goes only by explicit
        // choice, never as a side effect of an update.
        persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
        template: {
            metadata: { labels: commonLabels(a.name, "datastore") },
            spec: {
                automountServiceAccountToken: false,
                securityContext: restrictedPodSecurityContext(a.uid),
                terminationGracePeriodSeconds: a.terminationGracePeriodSeconds,
                containers: [{
                    name: a.name,
                    image: a.image,
                    imagePullPolicy: "IfNotPresent",
                    args: a.args,
                    env: a.env,
                    ports: [{ name: "tcp", containerPort: a.port, protocol: "TCP" }],
                    resources: a.resources,
                    securityContext: restrictedContainerSecurityContext(),
                    readinessProbe: probe(5, 3),
                    livenessProbe: probe(15, 6),
                    startupProbe: probe(5, 60),
                    volumeMounts: [{ name: "data", mountPath: a.dataPath }, ...scratch.mounts],
                }],
                volumes: [...dataVolume, ...scratch.volumes],
            },
        },
        volumeClaimTemplates: a.storage
            ? [{
                metadata: { name: "data", labels: selectorLabels(a.name) },
                spec: {
                    accessModes: ["ReadWriteOnce"],
                    storageClassName: a.storage.storageClass,
                    resources: { requests: { storage: a.storage.size } },
                },
            }]
            : undefined,
    };
}
