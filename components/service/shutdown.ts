// How a backend service stops: the pod's grace period, the preStop pause and the process's own shutdown
// budget (SHUTDOWN_DELAY_MS, SHUTDOWN_TIMEOUT_MS) derived from each other, so draining ends before SIGKILL.
import type * as k8s from "@pulumi/kubernetes";

export interface ShutdownTiming {
    /** Seconds between the pod's deletion and SIGKILL; the preStop pause counts against it. */
    terminationGracePeriodSeconds: number;
    /** Seconds the preStop hook waits before SIGTERM, while endpoints are removed. */
    drainSeconds: number;
    /** After SIGTERM, /ready fails and responses carry Connection: close for this long (keep-alive clients move on). */
    delayMs: number;
    /** Then in-flight requests get this long to finish before the process gives up (exit 1). */
    timeoutMs: number;
}

/** Left for closing the pools and exiting after the drain timeout, so SIGKILL never cuts a clean exit. */
export const EXIT_MARGIN_MS = 2000;
/** The services' own default delay (services/README.md), long enough for a keep-alive client's next request. */
export const SHUTDOWN_DELAY_MS = 3000;

/**
 * The process's budget from the pod's: the grace period minus the preStop pause, the delay and a margin
 * to exit. Throws when the grace period leaves in-flight requests less than a second.
 */
export function shutdownTiming(terminationGracePeriodSeconds = 30, drainSeconds = 5): ShutdownTiming {
    const timeoutMs = terminationGracePeriodSeconds * 1000 - drainSeconds * 1000 - SHUTDOWN_DELAY_MS - EXIT_MARGIN_MS;
    if (timeoutMs < 1000) {
        throw new Error(
            `a grace period of ${terminationGracePeriodSeconds}s after a ${drainSeconds}s preStop pause leaves no time to drain requests`,
        );
    }
    return { terminationGracePeriodSeconds, drainSeconds, delayMs: SHUTDOWN_DELAY_MS, timeoutMs };
}

/** The variables the services read their shutdown budget from. */
export function shutdownEnv(timing: ShutdownTiming): k8s.types.input.core.v1.EnvVar[] {
    return [
        { name: "SHUTDOWN_DELAY_MS", value: String(timing.delayMs) },
        { name: "SHUTDOWN_TIMEOUT_MS", value: String(timing.timeoutMs) },
    ];
}
