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
    const pair = (what: string) =>
        strict(`the fields of ${what}`, {
            cpu: quantity("cpu", LIMITS.containerCpu).optional(),
            memory: quantity("memory", LIMITS.containerMemory).optional(),
        }).optional();
    return strict("the fields of resources", { requests: pair("requests"), limits: pair("limits") }).transform(
        (value, ctx): ResourceSpec => {
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
        },
    );
}

/** One service's overrides; `image` stays undefined when unset (it derives from imageRegistry/imageTag). */
function serviceSchema(name: ServiceName, prod: boolean) {
    const floor = prod ? 2 : 1;
    const why = prod ? "in prod" : "";
    return strict(`the fields of services.${name}`, {
        image: pinnedImage().optional(),
        replicas: integer(floor, LIMITS.replicas, why).optional(),
        minReplicas: integer(floor, LIMITS.replicas, why).optional(),
        maxReplicas: integer(1, LIMITS.replicas).optional(),
        scaleDownStabilizationSeconds: integer(0, LIMITS.stabilizationSeconds).optional(),
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
    const parsed = strict("the services", shape, `name a platform service (${SERVICE_NAMES.join(", ")})`);
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
        image: pinnedImage().optional(),
        storageSize: quantity("storage", LIMITS.storage).default(d.storageSize),
        storageClass: text("standard").optional(),
        database: pattern(SQL_IDENTIFIER, "be a lowercase SQL identifier", d.database).default(d.database),
        user: pattern(SQL_IDENTIFIER, "be a lowercase SQL identifier", d.user).default(d.user),
        resources: resourcesSchema(d.resources).default(d.resources),
        backup: backupSchema(prod).prefault({}),
    });
}

export function redisSchema() {
    const d = DEFAULTS.redis;
    return strict("the fields of redis", {
        image: pinnedImage().optional(),
        persistence: bool().default(d.persistence),
        storageSize: quantity("storage", LIMITS.storage).default(d.storageSize),
        storageClass: text("standard").optional(),
        resources: resourcesSchema(d.resources).default(d.resources),
    });
}

const routeSchema = strict("the fields of a route", {
    path: pattern(/^\/([a-z0-9._-]+\/)*$/, "be a URL prefix that starts and ends with '/' (e.g. /api/posts/)", "/api/posts/"),
    service: z.enum(ROUTABLE_SERVICES as [Route["service"], ...Route["service"][]], {
        error: () => ruleMessage({ rule: `name a service the gateway can route to (${ROUTABLE_SERVICES.join(", ")})`, example: "blog" }),
    }),
});

export function gatewaySchema() {
    return strict("the fields of gateway", {
        exposure: oneOf(["ClusterIP", "LoadBalancer", "Ingress"]).default("ClusterIP"),
        domain: pattern(DOMAIN, "be a lowercase DNS name", "blog.example.com").optional(),
        ingressClassName: text("nginx").optional(),
        tlsSecretName: text("blog-example-com-tls").optional(),
        routes: list(routeSchema, "{path, service}", 1).optional(),
        exporterImage: pinnedImage().optional(),
    }).transform((value, ctx) => {
        if (value.exposure === "Ingress" && value.domain === undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["domain"],
                input: undefined,
                message: ruleMessage({ rule: "be set when gateway.exposure is Ingress (the Ingress host)", example: "blog.example.com" }),
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
