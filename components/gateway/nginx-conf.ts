// Generates the gateway's nginx.conf from the route table: one upstream per routed service, one location
// per route, with the proxy headers, keepalive and timeouts every route shares.

export interface GatewayRoute {
    /** URL prefix, e.g. /api/posts/; stripped before proxying, as in the reference. */
    path: string;
    /** Upstream name, e.g. the service name. */
    upstream: string;
    /** Per-route tuning for services with large bodies or slow responses. */
    readTimeoutSeconds?: number;
    maxBodySize?: string;
}

export interface NginxConfigOptions {
    /** Port the gateway listens on (unprivileged, so above 1024). */
    listenPort: number;
    /**
     * Port of a server answering only the probes (/health, /ready), which no Service points at; none when
     * undefined. The public server keeps /health alone: the entry's liveness for load balancers in front of it.
     */
    adminPort?: number;
    /** Loopback-only port serving stub_status; no such server when undefined. */
    statusPort?: number;
    /**
     * Where each request's route, method, status and time go as one syslog line (UDP, the pod's loopback),
     * for the per-route metrics exporter; only the stdout access log when undefined.
     */
    metricsLog?: { server: string; tag: string };
    /** Writable directory for the pid file and temp files; the root filesystem is read-only. */
    tempDir: string;
    /** Address (host:port) of each upstream named by a route. */
    upstreams: Record<string, string>;
    routes: GatewayRoute[];
    /** Idle keepalive connections kept open to each upstream. @default 32 */
    keepaliveConnections?: number;
    /** nginx worker processes: see workerProcessesFor. @default 1 */
    workerProcesses?: number;
}

/**
 * One worker per whole CPU of the container's limit, at least one. nginx's `auto` counts the node's CPUs,
 * not the pod's quota: on a 64-core node a gateway limited to half a CPU would start 64 workers, each with
 * its own upstream keepalive pool and memory, all sharing the same CFS quota.
 */
export function workerProcessesFor(cpuLimitCores: number | undefined): number {
    return Math.max(1, Math.ceil(cpuLimitCores ?? 1));
}

/**
 * The access log on stdout (the container runtime's log) is written in 64 KiB blocks, at least once a
 * second, instead of one write per request: the per-request write was part of the gateway's CPU per
 * request that docs/load.md measures. nginx flushes the buffer on a graceful stop.
 */
export const ACCESS_LOG = "access_log /dev/stdout combined buffer=64k flush=1s;";

/** The fields of a metrics log line, in the order the exporter's format names them. */
export const METRICS_LOG_FORMAT = '$route $status $request_time "$request"';

/**
 * The admin server's startup check (the gateway container's startup probe): 200 once this pod has reached
 * one of its upstreams, 502 before. A pod can be Ready before the NetworkPolicy agent has admitted its
 * address at the upstreams (the agent programs a new pod a moment after it starts, and a static readiness
 * answer does not wait for it), and in that window every request it takes gets a 502. Any HTTP answer from
 * an upstream proves the path, so the check asks for a path no upstream serves and takes their 404 as
 * success. One upstream is enough: it shows the agent has programmed this pod, while asking for all of
 * them would let one service that is down stop every gateway rollout.
 */
export const STARTUP_CHECK = { path: "/startup", upstream: "gateway_startup_check", probePath: "/gateway-startup-check" } as const;

/**
 * How many connections a request may try before the gateway answers 502. Each upstream is a Service's
 * ClusterIP, and kube-proxy picks a pod for every new connection, so a second connection to the same
 * address most likely reaches another pod: that is what turns a pod the NetworkPolicy agent has not yet
 * programmed (it refuses the connect, docs/isolation-and-availability.md) into a retry instead of a 502.
 * nginx tries the next entry only on a connect error or timeout, and never sends a POST twice once any
 * of it has gone out (proxy_next_upstream's rule for non-idempotent methods), so a retry is safe for
 * every method. With 3 pods and one of them refusing, all three tries fail with odds of 1 in 27.
 */
export const CONNECT_ATTEMPTS = 3;

/** Timeouts in seconds; generous enough for a slow query, short enough to shed load from a hung upstream. */
export const TIMEOUTS = { connect: 5, send: 30, read: 30, clientBody: 30, clientHeader: 10, keepalive: 65, retryWindow: 10 };

export function nginxConfig(options: NginxConfigOptions): string {
    const missing = options.routes.filter((route) => !(route.upstream in options.upstreams));
    if (missing.length > 0) {
        throw new Error(`routes name upstreams without an address: ${missing.map((r) => `${r.path} → ${r.upstream}`).join(", ")}`);
    }
    const routedUpstreams = [...new Set(options.routes.map((route) => route.upstream))];
    const temp = options.tempDir.replace(/\/$/, "");
    const lines = [
        "# Generated by the blog platform's gateway component; edit the route table, not this file.",
        `worker_processes ${options.workerProcesses ?? 1};`,
        `pid ${temp}/nginx.pid;`,
        "error_log stderr warn;",
        "",
        "events {",
        "    worker_connections 1024;",
        "}",
        "",
        "http {",
        `    ${ACCESS_LOG}`,
        ...(options.metricsLog
            ? [
                  `    log_format metrics '${METRICS_LOG_FORMAT}';`,
                  `    access_log syslog:server=${options.metricsLog.server},tag=${options.metricsLog.tag},nohostname metrics;`,
              ]
            : []),
        "    server_tokens off;",
        `    client_body_temp_path ${temp}/client_temp;`,
        `    proxy_temp_path ${temp}/proxy_temp;`,
        `    fastcgi_temp_path ${temp}/fastcgi_temp;`,
        `    uwsgi_temp_path ${temp}/uwsgi_temp;`,
        `    scgi_temp_path ${temp}/scgi_temp;`,
        `    keepalive_timeout ${TIMEOUTS.keepalive}s;`,
        `    client_body_timeout ${TIMEOUTS.clientBody}s;`,
        `    client_header_timeout ${TIMEOUTS.clientHeader}s;`,
        "    client_max_body_size 1m;",
        "",
        ...routeMap(options.routes),
        // Service names resolve once at start-up: ClusterIPs are stable for a Service's lifetime.
        // The same Service address CONNECT_ATTEMPTS times: nginx moves on to the next entry after a failed
        // connect, and max_fails=0 keeps it from ever marking the Service itself down.
        ...routedUpstreams.flatMap((name) => [
            `    upstream ${name} {`,
            ...Array.from({ length: CONNECT_ATTEMPTS }, () => `        server ${options.upstreams[name]} max_fails=0;`),
            `        keepalive ${options.keepaliveConnections ?? 32};`,
            "    }",
            "",
        ]),
        "    server {",
        `        listen ${options.listenPort};`,
        "",
        // The public entry's liveness, for load balancers in front of it (and the reference's capacity row):
        // static, answered without touching an upstream, and telling nothing. The pod's probes are on the
        // admin server below.
        "        location = /health {",
        "            access_log off;",
        "            default_type text/plain;",
        '            return 200 "ok\\n";',
        "        }",
        "",
        ...errorPages(),
        ...options.routes.flatMap((route) => locationBlock(route)),
        "    }",
        "",
        ...(options.adminPort !== undefined
            ? adminServer(
                  options.adminPort,
                  routedUpstreams.map((name) => options.upstreams[name]),
              )
            : []),
        ...(options.statusPort !== undefined
            ? [
                  "    server {",
                  `        listen 127.0.0.1:${options.statusPort};`,
                  "        location = /stub_status {",
                  "            stub_status;",
                  "            access_log off;",
                  "        }",
                  "    }",
              ]
            : []),
        "}",
        "",
    ];
    return lines.join("\n");
}

/**
 * The server of the pod's probes, on a port no Service points at: /health and /ready answer from nginx
 * itself; STARTUP_CHECK.path answers 200 once one upstream (any of `addresses`, tried in turn; a refused or
 * timed-out connect moves on to the next, and max_fails=0 keeps each one in the running) has answered.
 */
function adminServer(port: number, addresses: string[]): string[] {
    return [
        `    upstream ${STARTUP_CHECK.upstream} {`,
        ...addresses.map((address) => `        server ${address} max_fails=0;`),
        "    }",
        "",
        "    server {",
        `        listen ${port};`,
        "        access_log off;",
        "        default_type text/plain;",
        '        location = /health { return 200 "ok\\n"; }',
        '        location = /ready { return 200 "ready\\n"; }',
        `        location = ${STARTUP_CHECK.path} {`,
        `            proxy_pass http://${STARTUP_CHECK.upstream}${STARTUP_CHECK.probePath};`,
        "            proxy_connect_timeout 1s;",
        "            proxy_read_timeout 2s;",
        "            proxy_next_upstream error timeout;",
        // The upstream's 404 (or any 4xx: it answered) is the success; a 5xx of its own is not.
        "            proxy_intercept_errors on;",
        "            error_page 400 401 403 404 405 = @upstream_answered;",
        "        }",
        '        location @upstream_answered { return 200 "an upstream answered\\n"; }',
        "        location / { return 404; }",
        "    }",
        "",
    ];
}

/**
 * The errors the gateway itself produces, in the services' JSON shape ({"error": "..."}) instead of nginx's
 * HTML page, so an API client can read them. A service's own error replies pass through untouched.
 */
const GATEWAY_ERRORS: Record<number, string> = {
    413: "request body too large for the $route route",
    502: "the $route service is unavailable; retry shortly",
    504: "the $route service did not answer in time",
};

function errorPages(): string[] {
    return [
        "        # Errors the gateway produces answer in JSON, like the services.",
        ...Object.entries(GATEWAY_ERRORS).flatMap(([status, message]) => [
            `        error_page ${status} @error_${status};`,
            `        location @error_${status} {`,
            "            default_type application/json;",
            `            return ${status} '{"error":"${message}"}';`,
            "        }",
        ]),
        "",
    ];
}

/**
 * $route, each request's label in the per-route metrics and the gateway's own error messages: the service
 * its route reaches (a bounded set), "none" when no route matches. A map rather than a `set` in each
 * location: a map is evaluated from the URI whenever $route is read, so it is known even for answers
 * nginx gives before a location's directives run (a 413 for the body size). Longest prefix first, as
 * nginx picks prefix locations; the first matching regex wins.
 */
function routeMap(routes: readonly GatewayRoute[]): string[] {
    const asRegex = (prefix: string) => prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return [
        "    map $uri $route {",
        "        default none;",
        ...[...routes]
            .sort((a, b) => b.path.length - a.path.length)
            .map((route) => `        "~^${asRegex(route.path)}" ${route.upstream};`),
        "    }",
        "",
    ];
}

function locationBlock(route: GatewayRoute): string[] {
    return [
        `        location ${route.path} {`,
        `            proxy_pass http://${route.upstream}/;`,
        // HTTP/1.1 with an empty Connection header is what lets nginx reuse upstream keepalive connections.
        "            proxy_http_version 1.1;",
        '            proxy_set_header Connection "";',
        "            proxy_set_header Host $host;",
        "            proxy_set_header X-Real-IP $remote_addr;",
        "            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "            proxy_set_header X-Forwarded-Proto $scheme;",
        "            proxy_set_header X-Forwarded-Host $host;",
        "            proxy_set_header X-Request-ID $request_id;",
        `            proxy_connect_timeout ${TIMEOUTS.connect}s;`,
        `            proxy_send_timeout ${TIMEOUTS.send}s;`,
        `            proxy_read_timeout ${route.readTimeoutSeconds ?? TIMEOUTS.read}s;`,
        // Retry on a failed connect (CONNECT_ATTEMPTS), within a window shorter than a read timeout: a GET
        // that timed out reading is not sent again to a service that is merely slow.
        "            proxy_next_upstream error timeout;",
        `            proxy_next_upstream_tries ${CONNECT_ATTEMPTS};`,
        `            proxy_next_upstream_timeout ${TIMEOUTS.retryWindow}s;`,
        ...(route.maxBodySize ? [`            client_max_body_size ${route.maxBodySize};`] : []),
        "        }",
        "",
    ];
}
