// Security defaults that make every pod pass the restricted Pod Security Standard.
import type * as k8s from "@pulumi/kubernetes";

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
