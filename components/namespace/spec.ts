// Pure builders for the platform namespace: Pod Security Admission labels and the default limits.
import type * as k8s from "@pulumi/kubernetes";

export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

/** Enforce, audit and warn at one level, so what warns in CI is what admission enforces. */
export function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
    return Object.fromEntries(
        ["enforce", "audit", "warn"].flatMap((mode) => [
            [`pod-security.kubernetes.io/${mode}`, level],
            [`pod-security.kubernetes.io/${mode}-version`, "latest"],
        ]),
    );
}

/** The most one container may ask for; config holds every workload's limits under it. */
export const CONTAINER_MAX = { cpu: "2", memory: "4Gi" } as const;

/**
 * Defaults for a container that declares no resources (e.g. one added by hand while debugging), and a
 * per-container ceiling so one pod cannot take the whole quota.
 */
export function limitRangeSpec(): k8s.types.input.core.v1.LimitRangeSpec {
    return {
        limits: [
            {
                type: "Container",
                defaultRequest: { cpu: "50m", memory: "64Mi" },
                default: { cpu: "200m", memory: "256Mi" },
                max: { ...CONTAINER_MAX },
            },
        ],
    };
}
