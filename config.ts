// The one typed, validated view of stack config: a pure parseConfig(raw) plus a thin loadConfig().
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { SERVICE_NAMES, type ServiceName } from "./components/shared/topology";
import { DEFAULTS } from "./config/defaults";
import { type ImageLock, LOCK_NAMES, lockedImage, readImageLock } from "./config/image-lock";
import { checkKubeconfig, type FileReader, localFiles } from "./config/kubeconfig";
import { monitoringSchema } from "./config/monitoring";
import { gatewaySchema, postgresSchema, redisSchema, servicesSchema } from "./config/platform-schema";
import { ConfigError, PROJECT, Problems } from "./config/problems";
import { bool, dnsLabel, mustBeTrue, oneOf, pattern, ruleMessage, text, versionTag } from "./config/schema";
import type { MonitoringImage, PlatformConfig, ServiceConfig } from "./config/types";

export { ConfigError, DEFAULTS, PROJECT };
export type * from "./config/types";

/** Raw config as the CLI hands it over: "blog:key" → string (structured values as JSON). */
export type Raw = Record<string, string | undefined>;

const REGISTRY = /^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)*$/;

/**
 * Every top-level key's schema; prod tightens replicas, autoscaling and data protection. Each field's
 * description is its zod metadata, from which scripts/docs-config.ts writes docs/config-reference.md.
 */
export function configSchemas(prod: boolean) {
    return {
        environment: oneOf(["dev", "prod"]).describe("dev or prod. prod requires at least 2 replicas, autoscaling and data protection."),
        namespace: dnsLabel("blog").describe("Namespace the platform's workloads run in."),
        kubeconfig: z
            .string()
            .optional()
            .describe("Path to (or contents of) the target cluster's kubeconfig; empty uses KUBECONFIG or ~/.kube/config."),
        kubeContext: text("kind-blog").optional().describe("kubeconfig context of the target cluster; empty uses the current context."),
        imageRegistry: pattern(REGISTRY, "be a registry host with an optional path", "registry.example.com/blog").describe(
            "Registry and path the platform's service images are pulled from.",
        ),
        imageTag: versionTag()
            .optional()
            .describe(
                "Version tag of the platform's service images (not latest); overridable per service. " +
                    "Required unless imageLock or every service's image is set.",
            ),
        imageLock: text(".state/images.json")
            .optional()
            .describe(
                "Path (relative to the project) of the image lock scripts/images push writes, {name: registry/blog/name@sha256:...}; " +
                    "its images replace every default and imageRegistry/imageTag, explicit image keys keep precedence. Empty: no lock.",
            ),
        services: servicesSchema(prod),
        autoscaling: (prod ? mustBeTrue("be true in prod, so services scale with load") : bool()).describe(
            "Create HorizontalPodAutoscalers (CPU 70%, memory 80%) bounded by minReplicas and maxReplicas.",
        ),
        spreadAcrossNodes: bool().describe("Spread each service's replicas across nodes and zones."),
        verticalPodAutoscaling: bool().describe("Create VerticalPodAutoscalers in recommendation mode (the cluster needs the VPA CRDs)."),
        dataProtection: (prod
            ? mustBeTrue("be true in prod, so the database and its claims cannot be deleted by an update")
            : bool()
        ).describe("Protect the database, its claims and the namespace from deletion and replacement. Must be true in prod."),
        admissionPolicies: bool().describe(
            "Deploy the policy pack's single-object rules as ValidatingAdmissionPolicies bound to the platform's (and monitoring's) " +
                "namespaces, at the levels of policy/config/<environment>.json (the cluster needs Kubernetes 1.30+). See docs/policy.md.",
        ),
        secretsRotation: pattern(/^\S+$/, "be a non-empty word", "rotated-1").describe(
            "Keeper of the generated passwords and keys; set a new value to rotate them all (runbook docs/secret-rotation.md).",
        ),
        postgres: postgresSchema(prod),
        redis: redisSchema(),
        gateway: gatewaySchema(),
        monitoring: monitoringSchema(),
    };
}
type Parsed = { [K in keyof ReturnType<typeof configSchemas>]: z.output<ReturnType<typeof configSchemas>[K]> };

/** Every top-level key the program reads; Pulumi.yaml declares the same set with descriptions (a test keeps them equal). */
export const CONFIG_KEYS: readonly string[] = Object.keys(configSchemas(false));
const STRUCTURED_KEYS = new Set(["services", "postgres", "redis", "gateway", "monitoring"]);

/**
 * Parses and validates raw stack config (keys like "blog:services"); throws one ConfigError listing every
 * problem. `files` reads the kubeconfig named by config; without it that file is not checked. The image
 * lock named by blog:imageLock is always read (through `files`, else the local disk): images depend on it.
 */
export function parseConfig(raw: Raw, files?: FileReader): PlatformConfig {
    const p = new Problems();
    for (const key of Object.keys(raw)) {
        const [project, name] = key.split(":");
        if (project === PROJECT && !CONFIG_KEYS.includes(name)) {
            p.addIssues("", [
                {
                    code: "unrecognized_keys",
                    keys: [name],
                    path: [],
                    input: undefined,
                    message: ruleMessage({
                        rule: `be one of the keys declared in Pulumi.yaml (${CONFIG_KEYS.join(", ")})`,
                        known: CONFIG_KEYS,
                    }),
                },
            ]);
        }
    }
    const value = (key: string): unknown => {
        const text = raw[`${PROJECT}:${key}`];
        if (text === undefined || text === "") {
            // Structured keys are all optional objects (Pulumi.yaml declares them with default {}).
            return STRUCTURED_KEYS.has(key) ? {} : undefined;
        }
        if (STRUCTURED_KEYS.has(key) && /^\s*[[{]/.test(text)) {
            try {
                return JSON.parse(text);
            } catch {
                return text;
            }
        }
        return text;
    };
    if (value("environment") === undefined) {
        p.add("environment", "be set to one of dev, prod", undefined, p.setHint("environment", "dev"));
    }
    const schemas = configSchemas(value("environment") === "prod");
    const parsed: Partial<Parsed> = {};
    for (const [key, schema] of Object.entries(schemas)) {
        const input = value(key);
        if (key === "environment" && input === undefined) {
            continue;
        }
        const result = (schema as z.ZodType).safeParse(input, { reportInput: true });
        if (result.success) {
            (parsed as Record<string, unknown>)[key] = result.data;
        } else {
            p.addIssues(key, result.error.issues);
        }
    }

    const kubeconfig = files ? checkKubeconfig(parsed.kubeconfig, parsed.kubeContext, files, p) : parsed.kubeconfig;
    const lockImages = parsed.imageLock !== undefined ? readImageLock(parsed.imageLock, files ?? localFiles, p) : undefined;
    const lock = parsed.imageLock !== undefined && lockImages ? { value: parsed.imageLock, images: lockImages } : undefined;
    // An imageTag or lock that failed its own check is already reported; the images derived from it are not.
    const services =
        parsed.services &&
        (value("imageTag") === undefined || parsed.imageTag !== undefined) &&
        (parsed.imageLock === undefined || lock !== undefined)
            ? serviceImages(parsed.services, parsed, lock, p)
            : undefined;
    const image = (key: string, explicit: string | undefined, lockName: string, fallback: string) =>
        lockedImage(key, explicit, lockName, lock, p) ?? fallback;
    const monitoringImages = parsed.monitoring ? monitoringImagesOf(parsed.monitoring, lock, p) : undefined;
    const postgresImage = image("postgres.image", parsed.postgres?.image, LOCK_NAMES.postgres, DEFAULTS.postgres.image);
    const redisImage = image("redis.image", parsed.redis?.image, LOCK_NAMES.redis, DEFAULTS.redis.image);
    const exporterImage = lockedImage("gateway.exporterImage", parsed.gateway?.exporterImage, LOCK_NAMES.gatewayExporter, lock, p);
    const monitoringNamespace = parsed.monitoring?.namespace ?? `${parsed.namespace}-monitoring`;
    if (parsed.namespace !== undefined && monitoringNamespace === parsed.namespace) {
        p.add(
            "monitoring.namespace",
            "differ from the platform's namespace",
            monitoringNamespace,
            p.setHint("monitoring.namespace", `${parsed.namespace}-monitoring`),
        );
    }
    if (p.list.length > 0 || services === undefined || monitoringImages === undefined) {
        throw new ConfigError(p.list);
    }
    const c = parsed as Parsed;
    return {
        environment: c.environment,
        namespace: c.namespace,
        cluster: { kubeconfig, context: c.kubeContext },
        services,
        autoscaling: c.autoscaling,
        spreadAcrossNodes: c.spreadAcrossNodes,
        verticalPodAutoscaling: c.verticalPodAutoscaling,
        dataProtection: c.dataProtection,
        admissionPolicies: c.admissionPolicies,
        secretsRotation: c.secretsRotation,
        postgres: { ...c.postgres, image: postgresImage },
        redis: { ...c.redis, image: redisImage },
        gateway: { ...c.gateway, exporterImage },
        metricsScraperNamespace: c.monitoring.enabled || c.monitoring.namespace !== undefined ? monitoringNamespace : undefined,
        monitoring: { ...c.monitoring, namespace: monitoringNamespace, ...monitoringImages },
    };
}

/**
 * The monitoring images config or the lock gives (the component's upstream images fill the rest) and
 * whether Grafana runs: with a lock, only if the lock or config has an image for it, since none is built here.
 */
function monitoringImagesOf(
    monitoring: Parsed["monitoring"],
    lock: { value: string; images: ImageLock } | undefined,
    p: Problems,
): { images: Partial<Record<MonitoringImage, string>>; grafana: boolean } {
    const explicit = monitoring.images;
    const grafana = explicit.grafana ?? lock?.images[LOCK_NAMES.monitoring.grafana];
    if (!monitoring.enabled) {
        return { images: {}, grafana: lock === undefined || grafana !== undefined };
    }
    const required = ["prometheus", "alertmanager", "kubeStateMetrics"] as const;
    const images: Partial<Record<MonitoringImage, string>> = Object.fromEntries(
        [
            ...required.map((name) => [
                name,
                lockedImage(`monitoring.images.${name}`, explicit[name], LOCK_NAMES.monitoring[name], lock, p),
            ]),
            ["grafana", grafana],
        ].filter(([, ref]) => ref !== undefined),
    );
    return { images, grafana: lock === undefined || grafana !== undefined };
}

/**
 * Each service's image: its own, else the lock's, else the gateway's pinned nginx or
 * imageRegistry/<name>:imageTag. A missing imageTag is reported once, on imageTag, rather than on every
 * image derived from it.
 */
function serviceImages(
    services: Parsed["services"],
    parsed: Partial<Parsed>,
    lock: { value: string; images: ImageLock } | undefined,
    p: Problems,
): Record<ServiceName, ServiceConfig> | undefined {
    if (lock !== undefined) {
        const locked = SERVICE_NAMES.map((name) => [
            name,
            { ...services[name], image: lockedImage(`services.${name}.image`, services[name].image, LOCK_NAMES.services[name], lock, p) },
        ]);
        return locked.every(([, service]) => (service as { image?: string }).image !== undefined)
            ? (Object.fromEntries(locked) as Record<ServiceName, ServiceConfig>)
            : undefined;
    }
    const lacking = SERVICE_NAMES.filter((name) => name !== "gateway" && services[name].image === undefined);
    if (parsed.imageTag === undefined && lacking.length > 0) {
        p.add(
            "imageTag",
            `be set to a version tag, since ${lacking.join(", ")} set no image of their own`,
            undefined,
            p.setHint("imageTag", "1.4.2"),
        );
        return undefined;
    }
    return Object.fromEntries(
        SERVICE_NAMES.map((name) => [
            name,
            {
                ...services[name],
                image:
                    services[name].image ??
                    (name === "gateway" ? DEFAULTS.gatewayImage : `${parsed.imageRegistry}/${name}:${parsed.imageTag}`),
            },
        ]),
    ) as Record<ServiceName, ServiceConfig>;
}

/** Reads this stack's config once and validates it; a mistake stops the program before any resource. */
export function loadConfig(): PlatformConfig {
    return parseConfig(pulumi.runtime.allConfig(), localFiles);
}
