// Security defaults that make every pod pass the restricted Pod Security Standard.
import * as k8s from "@pulumi/kubernetes";

type PodSecurityContext = k8s.types.input.core.v1.PodSecurityContext;
type SecurityContext = k8s.types.input.core.v1.SecurityContext;

/**
 * Pod-level context: a fixed non-root UID (so runAsNonRoot can be verified even when an image's USER is
 * a name) and an fsGroup so mounted volumes are writable by that UID.
 */
export function restrictedPodSecurityContext(uid: number, fsGroup: number = uid): PodSecurityContext {
    if (!Number.isInteger(uid) || uid <= 0) {
        throw new Error(`a pod's runAsUser must be a non-zero integer UID (got ${uid})`);
    }
    return {
        runAsNonRoot: true,
        runAsUser: uid,
        runAsGroup: uid,
        fsGroup,
        // Only chown volumes whose root has the wrong owner: large database volumes would otherwise be
        // walked on every restart.
        fsGroupChangePolicy: "OnRootMismatch",
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/** Container-level context: nothing to escalate to, no Linux capabilities, an immutable root filesystem. */
export function restrictedContainerSecurityContext(): SecurityContext {
    return {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/**
 * emptyDir volumes and mounts for the paths an image must write to, since its root filesystem is
 * read-only. Volume names derive from the path so they are stable and readable.
 */
export function writableScratch(paths: readonly string[]): {
    volumes: k8s.types.input.core.v1.Volume[];
    mounts: k8s.types.input.core.v1.VolumeMount[];
} {
    const named = paths.map((path) => ({ path, name: `scratch${path.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}` }));
    return {
        volumes: named.map(({ name }) => ({ name, emptyDir: { sizeLimit: "64Mi" } })),
        mounts: named.map(({ name, path }) => ({ name, mountPath: path })),
    };
}
