// Maps the validated stack config onto the component's arguments: the one place they meet.
import type { PlatformConfig } from "../../config";
import { ROUTABLE_SERVICES } from "../shared/topology";
import { MonitoringStackArgs } from "./spec";

/** MonitoringStack arguments for a stack; `platformMetricsPorts` comes from the platform component. */
export function monitoringArgs(cfg: PlatformConfig, platformMetricsPorts: readonly number[]): MonitoringStackArgs {
    const m = cfg.monitoring;
    return {
        namespace: m.namespace,
        platformNamespace: cfg.namespace,
        platformMetricsPorts,
        // The services instrumented with http_requests_total and http_request_duration_seconds; the
        // gateway's nginx exporter has neither, so it gets no RED dashboard.
        services: ROUTABLE_SERVICES,
        scrapeInterval: m.scrapeInterval,
        retention: m.retention,
        storageSize: m.storageSize,
        storageClass: m.storageClass,
        prometheusResources: m.prometheusResources,
        thresholds: m.alerts,
        receivers: m.receivers,
        nodeCidr: m.nodeCidr,
        secretsRotation: cfg.secretsRotation,
    };
}
