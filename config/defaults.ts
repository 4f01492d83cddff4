// Defaults of the fields inside structured keys, and the bounds every value is held to. Top-level
// scalar defaults live only in Pulumi.yaml (the CLI applies them); its structured keys default to {}.
import { CONTAINER_MAX } from "../components/namespace/spec";
import { DEFAULT_SCALE_DOWN_STABILIZATION_SECONDS } from "../components/service/spec";
import { perService, type ServiceName, serviceEntry } from "../components/shared/catalogue";
import { type ResourceSpec, resourceSpec } from "../components/shared/resources";
import { ROUTABLE_SERVICES } from "../components/shared/topology";
import type { Route } from "./types";

/**
 * The services' resources and routes come from the workload catalogue (components/shared/catalogue.ts),
 * which says why each is sized as it is.
 */
export const DEFAULTS = {
    services: perService((entry) => entry.resources) satisfies Record<ServiceName, ResourceSpec>,
    // nginx-unprivileged is the upstream nginx build that runs as UID 101 and listens on 8080, so the
    // gateway needs neither root nor NET_BIND_SERVICE (the reference's nginx:alpine runs as root).
    gatewayImage: "docker.io/nginxinc/nginx-unprivileged:1.27.3-alpine",
    postgres: {
        image: "docker.io/library/postgres:16.6-bookworm",
        storageSize: "1Gi",
        database: "blog",
        user: "blog",
        resources: resourceSpec("250m", "512Mi", "1", "1Gi"),
        // A nightly dump at 03:00 UTC, a week of them; custom-format dumps are compressed, so a claim of
        // 2Gi holds a week of a database several times that size on disk.
        backup: { schedule: "0 3 * * *", keep: 7, storageSize: "2Gi" },
    },
    redis: {
        image: "docker.io/library/redis:7.4.2-bookworm",
        storageSize: "1Gi",
        persistence: false,
        resources: resourceSpec("100m", "128Mi", "250m", "256Mi"),
    },
    scaleDownStabilizationSeconds: DEFAULT_SCALE_DOWN_STABILIZATION_SECONDS,
    routes: defaultRoutes() as readonly Route[],
} as const;

/** Each catalogue entry's route, in catalogue order, with the catch-all `/` last. */
function defaultRoutes(): Route[] {
    const routes = ROUTABLE_SERVICES.flatMap((service) => {
        const path = serviceEntry(service).route;
        return path === undefined ? [] : [{ path, service }];
    });
    return [...routes.filter((route) => route.path !== "/"), ...routes.filter((route) => route.path === "/")];
}

/**
 * Upper bounds, documented in the README. Replicas: more than 50 pods of one service is a capacity plan,
 * not a config value, and the namespace quota is sized from them. Containers: the namespace's LimitRange
 * ceiling, which admission would enforce anyway. Claims: 1Ti, beyond which a volume needs planning.
 */
export const LIMITS = {
    replicas: 50,
    /** The HPA's own ceiling for a stabilization window (one hour). */
    stabilizationSeconds: 3600,
    containerCpu: CONTAINER_MAX.cpu,
    containerMemory: CONTAINER_MAX.memory,
    storage: "1Ti",
    /** Dumps kept on the backups' claim: beyond a hundred, keep them in object storage instead. */
    backupsKept: 100,
} as const;
