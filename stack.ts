// The whole program's resources from a validated config: the platform and, when enabled, its monitoring
// and the pack's rules as admission policies.
// index.ts and the tests build the stack through this one function.
import type * as pulumi from "@pulumi/pulumi";
import type { AdmissionPolicies, AdmissionPoliciesArgs } from "./components/admission";
import { MonitoringStack, type MonitoringStackArgs } from "./components/monitoring";
import { BlogPlatform, type BlogPlatformArgs } from "./components/platform";
import { BACKEND_SERVICES, platformMetricsPorts } from "./components/shared/topology";
import type { PlatformConfig } from "./config";

export interface BlogStack {
    platform: BlogPlatform;
    monitoring?: MonitoringStack;
    admission?: AdmissionPolicies;
}

/** The platform component's arguments: config mapped onto them, field by field. */
export function platformArgs(cfg: PlatformConfig): BlogPlatformArgs {
    const { domain, ingressClassName, tlsSecretName } = cfg.gateway;
    const { enabled: backupEnabled, ...backup } = cfg.postgres.backup;
    return {
        namespace: cfg.namespace,
        services: cfg.services,
        autoscaling: cfg.autoscaling,
        spreadAcrossNodes: cfg.spreadAcrossNodes,
        verticalPodAutoscaling: cfg.verticalPodAutoscaling,
        dataProtection: cfg.dataProtection,
        secretsRotation: cfg.secretsRotation,
        postgres: { ...cfg.postgres, backup: backupEnabled ? backup : undefined },
        redis: cfg.redis,
        gateway: {
            routes: cfg.gateway.routes,
            exposure: cfg.gateway.exposure,
            ingress: domain ? { domain, ingressClassName, tlsSecretName } : undefined,
            exporterImage: cfg.gateway.exporterImage,
        },
        metricsScraperNamespace: cfg.metricsScraperNamespace,
    };
}

/** The monitoring component's arguments; the platform's metrics ports come from the service graph. */
export function monitoringArgs(cfg: PlatformConfig): MonitoringStackArgs {
    const m = cfg.monitoring;
    return {
        namespace: m.namespace,
        platformNamespace: cfg.namespace,
        platformMetricsPorts: platformMetricsPorts(),
        // The services with http_requests_total and http_request_duration_seconds: the Node.js backends
        // (services/shared/src/metrics.ts) and the gateway (its per-route exporter, recorded under those
        // names). The frontend (static nginx) exports nothing: a RED dashboard for it could never show data.
        services: [...BACKEND_SERVICES, "gateway"],
        scrapeInterval: m.scrapeInterval,
        evaluationInterval: m.evaluationInterval,
        alertFor: m.alertFor,
        groupInterval: m.groupInterval,
        retention: m.retention,
        storageSize: m.storageSize,
        storageClass: m.storageClass,
        prometheusResources: m.prometheusResources,
        thresholds: m.alerts,
        receivers: m.receivers,
        nodeCidr: m.nodeCidr,
        secretsRotation: cfg.secretsRotation,
        images: m.images,
        grafana: m.grafana,
    };
}

/**
 * The admission policies' arguments: every namespace the stack runs workloads in, its environment's pack
 * config, and its namespace as the prefix of the cluster-wide names (unique per cluster, as stacks are).
 */
export function admissionArgs(cfg: PlatformConfig): AdmissionPoliciesArgs {
    const { readPackConfig } = admissionModule();
    return {
        namespaces: cfg.monitoring.enabled ? [cfg.namespace, cfg.monitoring.namespace] : [cfg.namespace],
        packConfig: readPackConfig(cfg.environment),
        prefix: cfg.namespace,
    };
}

/**
 * The admission component, loaded only by stacks that enable it: it loads the whole policy pack and
 * @pulumi/policy (about 0.2 s of every preview of a stack without it; docs/preview-performance.md).
 */
function admissionModule(): typeof import("./components/admission") {
    return require("./components/admission");
}

/** Creates every component of the stack; `opts` carries the provider (index.ts) or nothing (mocks). */
export function buildStack(cfg: PlatformConfig, opts: pulumi.ComponentResourceOptions = {}): BlogStack {
    const platform = new BlogPlatform("blog", platformArgs(cfg), opts);
    const monitoring = cfg.monitoring.enabled ? new MonitoringStack("monitoring", monitoringArgs(cfg), opts) : undefined;
    const admission = cfg.admissionPolicies ? new (admissionModule().AdmissionPolicies)("admission", admissionArgs(cfg), opts) : undefined;
    return { platform, monitoring, admission };
}
