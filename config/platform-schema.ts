// Schemas of the platform's structured keys (services, postgres, redis, gateway): field names, bounds
// and defaults, each value typed and defaulted field by field.
import { z } from "zod";
import { parseQuantity } from "../components/shared/quantity";
import type { ResourceSpec } from "../components/shared/resources";
import { ROUTABLE_SERVICES, SERVICE_NAMES, type ServiceName } from "../components/shared/topology";
import { backupSchema } from "./backup";
import { DEFAULTS, LIMITS } from "./defaults";
import { bool, integer, list, oneOf, pattern, pinnedImage, quantity, ruleMessage, strict, text } from "./schema";
import type { Route, ServiceConfig } from "./types";

const SQL_IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const DOMAIN = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/;

/** Requests and limits, merged field by field over `defaults`; a limit below its request is refused. */
export function resourcesSchema(defaults: ResourceSpec) {
    const pair = (what: string, does: string) =>
        strict(`the fields of ${what}`, {
            cpu: quantity("cpu", LIMITS.containerCpu).optional().describe(`CPU the container ${does}.`),
            memory: quantity("memory", LIMITS.containerMemory).optional().describe(`Memory the container ${does}.`),
        }).optional();
    return strict("the fields of resources", {
        requests: pair("requests", "is scheduled with (its request)"),
        limits: pair("limits", "may use at most (its limit; at least the request)"),
    }).transform((value, ctx): ResourceSpec => {
        const spec = {
            requests: { ...defaults.requests, ...value.requests },
            limits: { ...defaults.limits, ...value.limits },
        };
        for (const resource of ["cpu", "memory"] as const) {
            if ((parseQuantity(spec.limits[resource]) ?? 0) < (parseQuantity(spec.requests[resource]) ?? 0)) {
                ctx.addIssue({
                    code: "custom",
                    path: ["limits", resource],
                    input: spec.limits[resource],
                    message: ruleMessage({
                        rule: `be at least the request (${spec.requests[resource]})`,
                        example: spec.requests[resource],
                    }),
                });
            }
        }
        return spec;
    });
}

/** One service's overrides; `image` stays undefined when unset (it derives from imageRegistry/imageTag). */
function serviceSchema(name: ServiceName, prod: boolean) {
    const floor = prod ? 2 : 1;
    const why = prod ? "in prod" : "";
    return strict(`the fields of services.${name}`, {
        image: pinnedImage()
            .optional()
            .meta({
                description: "The service's image, instead of the one derived from imageRegistry and imageTag (or the lock).",
                defaultText: `the lock's, else imageRegistry/<service>:imageTag; for gateway \`${DEFAULTS.gatewayImage}\``,
            }),
        replicas: integer(floor, LIMITS.replicas, why)
            .optional()
            .describe("Replicas when autoscaling is off; the HPA's floor defaults to it."),
        minReplicas: integer(floor, LIMITS.replicas, why).optional().meta({
            description: "The HPA's floor (with autoscaling); also the PodDisruptionBudget's basis.",
            defaultText: "replicas",
        }),
        maxReplicas: integer(1, LIMITS.replicas)
            .optional()
            .meta({
                description: "The HPA's ceiling (with autoscaling); at least minReplicas.",
                defaultText: `3 × replicas, at least minReplicas, at most ${LIMITS.replicas}`,
            }),
        scaleDownStabilizationSeconds: integer(0, LIMITS.stabilizationSeconds)
            .optional()
            .describe("How long the HPA waits at a lower recommendation before it removes pods (its scale-down stabilization window)."),
        resources: resourcesSchema(DEFAULTS.services[name]).optional(),
    }).transform((value, ctx): Omit<ServiceConfig, "image"> & { image?: string } => {
        const replicas = value.replicas ?? floor;
        const minReplicas = value.minReplicas ?? replicas;
        const maxReplicas = value.maxReplicas ?? Math.min(LIMITS.replicas, Math.max(minReplicas, replicas * 3));
        if (maxReplicas < minReplicas) {
            ctx.addIssue({
                code: "custom",
                path: ["maxReplicas"],
                input: maxReplicas,
                message: ruleMessage({ rule: `be at least minReplicas (${minReplicas})`, example: String(minReplicas) }),
            });
        }
        return {
            image: value.image,
            replicas,
            minReplicas,
            maxReplicas,
            scaleDownStabilizationSeconds: value.scaleDownStabilizationSeconds ?? DEFAULTS.scaleDownStabilizationSeconds,
            resources: value.resources ?? DEFAULTS.services[name],
        };
    });
}

export function servicesSchema(prod: boolean) {
    const shape = Object.fromEntries(SERVICE_NAMES.map((name) => [name, serviceSchema(name, prod).optional()])) as {
        [N in ServiceName]: z.ZodOptional<ReturnType<typeof serviceSchema>>;
    };
    const parsed = strict("the services", shape, `name a platform service (${SERVICE_NAMES.join(", ")})`).meta({
        each: "service",
        description: `Per-service overrides, keyed by service: ${SERVICE_NAMES.join(", ")}. Unset fields keep their defaults.`,
    });
    return parsed.transform(
        (value) =>
            Object.fromEntries(SERVICE_NAMES.map((name) => [name, value[name] ?? serviceSchema(name, prod).parse({})])) as Record<
                ServiceName,
                ReturnType<typeof serviceSchema>["_zod"]["output"]
            >,
    );
}

/** blog:postgres; prod turns the backup on by default. */
export function postgresSchema(prod: boolean) {
    const d = DEFAULTS.postgres;
    return strict("the fields of postgres", {
        // Left undefined when unset: the image lock may provide it (config.ts applies the default after).
        image: pinnedImage()
            .optional()
            .meta({ description: "PostgreSQL's image.", defaultText: `the lock's, else \`${d.image}\`` }),
        storageSize: quantity("storage", LIMITS.storage).default(d.storageSize).describe("Size of the database's claim."),
        storageClass: text("standard").optional().describe("StorageClass of the claim; unset uses the cluster's default class."),
        database: pattern(SQL_IDENTIFIER, "be a lowercase SQL identifier", d.database)
            .default(d.database)
            .describe("Database the services use."),
        user: pattern(SQL_IDENTIFIER, "be a lowercase SQL identifier", d.user).default(d.user).describe("Role the services connect as."),
        resources: resourcesSchema(d.resources).default(d.resources),
        backup: backupSchema(prod).prefault({}),
    }).describe("PostgreSQL: one StatefulSet with its claim, and its scheduled backup (docs/backup.md).");
}

export function redisSchema() {
    const d = DEFAULTS.redis;
    return strict("the fields of redis", {
        image: pinnedImage()
            .optional()
            .meta({ description: "Redis's image.", defaultText: `the lock's, else \`${d.image}\`` }),
        persistence: bool().default(d.persistence).describe("Keep Redis's data on a claim (append-only file) across restarts."),
        storageSize: quantity("storage", LIMITS.storage).default(d.storageSize).describe("Size of Redis's claim (with persistence)."),
        storageClass: text("standard").optional().describe("StorageClass of the claim; unset uses the cluster's default class."),
        resources: resourcesSchema(d.resources).default(d.resources),
    }).describe("Redis, the cache and session store: one StatefulSet.");
}

const routeSchema = strict("the fields of a route", {
    path: pattern(/^\/([a-z0-9._-]+\/)*$/, "be a URL prefix that starts and ends with '/' (e.g. /api/posts/)", "/api/posts/").describe(
        "URL prefix the route matches; the gateway passes every path under it.",
    ),
    service: z
        .enum(ROUTABLE_SERVICES as [Route["service"], ...Route["service"][]], {
            error: () =>
                ruleMessage({ rule: `name a service the gateway can route to (${ROUTABLE_SERVICES.join(", ")})`, example: "blog" }),
        })
        .describe("Service the prefix is routed to."),
});

export function gatewaySchema() {
    return strict("the fields of gateway", {
        exposure: oneOf(["ClusterIP", "LoadBalancer", "Ingress"])
            .default("ClusterIP")
            .describe("How the gateway is reached: its Service's type, or an Ingress in front of a ClusterIP Service."),
        domain: pattern(DOMAIN, "be a lowercase DNS name", "blog.example.com")
            .optional()
            .describe("The Ingress host and the public URL's; required when exposure is Ingress."),
        ingressClassName: text("nginx").optional().describe("IngressClass of the Ingress; unset uses the cluster's default class."),
        tlsSecretName: text("blog-example-com-tls")
            .optional()
            .describe("Secret with the Ingress's TLS certificate; unset serves plain HTTP."),
        routes: list(routeSchema, "{path, service}", 1)
            .optional()
            .describe("The gateway's route table: the longest matching prefix wins; paths must be unique."),
        exporterImage: pinnedImage().optional().meta({
            description: "Image of the gateway's per-route metrics exporter sidecar (prometheus-nginxlog-exporter).",
            defaultText: "the lock's, else the component's pinned upstream image",
        }),
    })
        .describe("The API gateway (nginx): how it is exposed and its route table (nginx.conf is generated from it, components/gateway/).")
        .transform((value, ctx) => {
            if (value.exposure === "Ingress" && value.domain === undefined) {
                ctx.addIssue({
                    code: "custom",
                    path: ["domain"],
                    input: undefined,
                    message: ruleMessage({
                        rule: "be set when gateway.exposure is Ingress (the Ingress host)",
                        example: "blog.example.com",
                    }),
                });
            }
            const routes: Route[] = value.routes ?? DEFAULTS.routes.map((route) => ({ ...route }));
            routes.forEach((route, i) => {
                if (routes.findIndex((other) => other.path === route.path) < i) {
                    ctx.addIssue({
                        code: "custom",
                        path: ["routes", i, "path"],
                        input: route.path,
                        message: ruleMessage({ rule: "be unique among the routes", fix: "Remove the duplicate route" }),
                    });
                }
            });
            return { ...value, routes };
        });
}
