// The reference's request metrics (http_requests_total{method,endpoint,status} and the
// http_request_duration_seconds histogram) plus Node's default process metrics, on one registry.
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { FastifyInstance } from "fastify";

export interface Metrics {
    registry: Registry;
    requests: Counter<"method" | "endpoint" | "status">;
    duration: Histogram<"method" | "endpoint" | "status">;
}

export function createMetrics(service: string): Metrics {
    const registry = new Registry();
    registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: registry });
    const requests = new Counter({
        name: "http_requests_total",
        help: "Total HTTP requests",
        labelNames: ["method", "endpoint", "status"] as const,
        registers: [registry],
    });
    const duration = new Histogram({
        name: "http_request_duration_seconds",
        help: "HTTP request latency",
        labelNames: ["method", "endpoint", "status"] as const,
        // Around the reference's P95 targets (5-50 ms), with room for slow paths such as password hashing.
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        registers: [registry],
    });
    return { registry, requests, duration };
}

/**
 * Records every response of the public API (the admin listener's scrapes and probes are not its traffic).
 * `endpoint` is the route pattern (/:id), never the raw URL, to bound cardinality.
 */
export function instrument(app: FastifyInstance, metrics: Metrics): void {
    app.addHook("onResponse", async (request, reply) => {
        const endpoint = request.routeOptions.url ?? "unmatched";
        const labels = { method: request.method, endpoint, status: String(reply.statusCode) };
        metrics.requests.inc(labels);
        metrics.duration.observe(labels, reply.elapsedTime / 1000);
    });
}
