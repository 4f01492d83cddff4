// Defaults of the fields inside structured keys, and the bounds every value is held to. Top-level
// scalar defaults live only in Pulumi.yaml (the CLI applies them); its structured keys default to {}.
import { CONTAINER_MAX } from "../components/namespace/spec";
import { DEFAULT_SCALE_DOWN_STABILIZATION_SECONDS } from "../components/service/spec";
import { type ResourceSpec, resourceSpec } from "../components/shared/resources";
import type { ServiceName } from "../components/shared/topology";
import type { Route } from "./types";

/**
 * Requests are what a pod uses at the reference's capacity table's rate (what the scheduler places by);
 * limits are sized from docs/load.md's measurement of prod on the real node (scripts/bench-load.ts), so
 * that one gateway pod in front of each service's replicas meets every row of the table with margin
 * (p95 at most 0.8x the reference at its rate, saturation at least 1.2x its RPS). A limit is a CFS quota
 * per 100 ms period: a container whose burst uses it up waits out the rest of the period, which is what
 * put prod's p95 at 64-72 ms with the old 2x-the-request limits.
 */
export const DEFAULTS = {
    services: {
        // nginx at about 130 µs of CPU per proxied request: the table's 2,400 RPS (blog at 1.2x) needs a
        // third of a CPU; one whole CPU is one worker (workerProcessesFor) with no throttling at that rate.
        // The request stays the reference's 50m.
        gateway: resourceSpec("50m", "64Mi", "1", "128Mi"),
        // Static files only, not in the table.
        frontend: resourceSpec("50m", "64Mi", "100m", "128Mi"),
        // A Node service is one event loop: it cannot use much more than one CPU, and below that its
        // bursts are throttled. auth's /me is an EdDSA verify, ~400 µs of CPU per request.
        auth: resourceSpec("100m", "128Mi", "1", "256Mi"),
        // blog's front page from Redis, ~300 µs of CPU per request; 2,400 RPS over 3 pods.
        blog: resourceSpec("200m", "256Mi", "1", "512Mi"),
        // A PostgreSQL query per request, ~400 µs of CPU per request in comment itself.
        comment: resourceSpec("100m", "128Mi", "1", "256Mi"),
        // image-processing is CPU-bound (sharp), hence its ceiling; not in the table.
        image: resourceSpec("250m", "256Mi", "1", "1Gi"),
    } satisfies Record<ServiceName, ResourceSpec>,
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
    routes: [
        { path: "/api/auth/", service: "auth" },
        { path: "/api/posts/", service: "blog" },
        { path: "/api/comments/", service: "comment" },
        { path: "/api/images/", service: "image" },
        { path: "/", service: "frontend" },
    ] satisfies Route[],
} as const;

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
