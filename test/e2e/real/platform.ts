// What the real-node platform suites share: deploy a throw-away copy of a stack and wait for it, find its
// pods and the gateway's address, and talk to the blog's API through the gateway like a user.
import * as assert from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { DEFAULTS } from "../../../config/defaults";
import { REPO_ROOT } from "../../helpers/stack-config";
import { BlogClient, gatewayUrl, type Reply } from "../../../harness/blog-client";
import { isReady, type Pod, servingPods } from "../../../harness/kube";
import { type DeployedStack, stackFrom } from "../../../harness/stacks";
import { KUBECONFIG, kubectl, pulumi, type Result, requireLocalCluster } from "../helpers";

/**
 * Waits until the gateway reaches every backend it routes to: a GET of each API route's prefix gets the
 * service's own answer (any status but the gateway's 502/504, or a 503), through nginx, the gateway's
 * egress and the service's ingress rules. Right after `pulumi up` a pod can be Ready a moment before the
 * node's policy agent admits traffic to it (docs/isolation-and-availability.md, "Known gap"), and a suite's
 * first request would get 502. Prints how long that took (`after` says since when) and how many rounds missed.
 */
export async function waitForGatewayRoutes(namespace: string, after: string, timeoutMs = 120_000): Promise<void> {
    const started = Date.now();
    const prefixes = DEFAULTS.routes.filter((route) => route.path.startsWith("/api/")).map((route) => route.path);
    let missed = 0;
    await waitFor(
        `the gateway of ${namespace} to reach every service`,
        async () => {
            const client = new BlogClient(gatewayUrl(namespace));
            const replies = await Promise.all(prefixes.map((route) => client.call("GET", route).catch(() => undefined)));
            const failing = prefixes
                .map((route, i) => ({ route, status: replies[i]?.status }))
                .filter(({ status }) => status === undefined || status === 502 || status === 503 || status === 504);
            if (failing.length > 0) {
                missed++;
                throw new Error(`not reached: ${failing.map(({ route, status }) => `${route} (${status ?? "no answer"})`).join(", ")}`);
            }
            return true;
        },
        timeoutMs,
        1000,
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
        `      the gateway reached every service ${seconds} s after ${after} (${missed} ${missed === 1 ? "round" : "rounds"} missed)`,
    );
}

/** A small valid PNG (a colour gradient), so the image service has something real to decode and resize. */
export function png(width: number, height: number): Buffer {
    const chunk = (type: string, data: Buffer) => {
        const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
        const length = Buffer.alloc(4);
        length.writeUInt32BE(data.length);
        const crc = Buffer.alloc(4);
        crc.writeUInt32BE(zlib.crc32(body));
        return Buffer.concat([length, body, crc]);
    };
    const header = Buffer.alloc(13);
    header.writeUInt32BE(width, 0);
    header.writeUInt32BE(height, 4);
    header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
    const rows = Array.from({ length: height }, (_, y) =>
        Buffer.from([0, ...Array.from({ length: width }, (_, x) => [x % 256, y % 256, 128]).flat()]),
    );
    return Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        chunk("IHDR", header),
        chunk("IDAT", zlib.deflateSync(Buffer.concat(rows))),
        chunk("IEND", Buffer.alloc(0)),
    ]);
}

// ---- Stack updates and credential checks (added for the secret-rotation suite) ----------------------

/** Sets stack config keys (plain strings) on a deployed stack and runs `pulumi up`; returns its seconds. */
export function updateStack(deployed: DeployedStack, config: Record<string, string>): number {
    for (const [key, value] of Object.entries(config)) {
        pulumi(["config", "set", "--stack", deployed.stack, key, value], REPO_ROOT);
    }
    const started = Date.now();
    pulumi(["up", "--yes", "--skip-preview", "--stack", deployed.stack], REPO_ROOT);
    return (Date.now() - started) / 1000;
}

/** One key of a Secret, decoded. Keep it in memory: never print or log it. */
export function secretValue(namespace: string, secret: string, key: string): string {
    const encoded = kubectl(["-n", namespace, "get", "secret", secret, "-o", `jsonpath={.data.${key}}`]).stdout.trim();
    assert.ok(encoded, `secret ${namespace}/${secret} has no key ${key}`);
    return Buffer.from(encoded, "base64").toString("utf8");
}

/**
 * Runs a shell script in a pod's container with `stdin` as its input, so a credential reaches the script
 * without appearing in any argument (the script reads it with `read -r`).
 */
export function execWithInput(namespace: string, pod: string, container: string, script: string, stdin: string) {
    const result = spawnSync("kubectl", ["-n", namespace, "exec", "-i", pod, "-c", container, "--", "sh", "-c", script], {
        encoding: "utf8",
        input: `${stdin}\n`,
        env: { ...process.env, KUBECONFIG },
        timeout: 60_000,
    });
    return { status: result.status ?? -1, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}

/** Whether the database accepts a password over TCP inside the Postgres pod (scram-sha-256 applies there). */
export function postgresAccepts(namespace: string, password: string): boolean {
    const script =
        "read -r PGPASSWORD; export PGPASSWORD PGCONNECT_TIMEOUT=5; " +
        'psql -h 127.0.0.1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -tAc "select 1"';
    return execWithInput(namespace, "postgres-0", "postgres", script, password).stdout.trim() === "1";
}

/** Whether Redis answers PING after AUTH with a password, inside the Redis pod. */
export function redisAccepts(namespace: string, password: string): boolean {
    const script = "read -r REDISCLI_AUTH; export REDISCLI_AUTH; redis-cli -h 127.0.0.1 -p 6379 ping";
    return execWithInput(namespace, "redis-0", "redis", script, password).stdout.trim() === "PONG";
}

/** UIDs of the serving pods of each workload (app.kubernetes.io/name): a changed set means the pods rolled. */
export function podUidsByWorkload(namespace: string): Record<string, string[]> {
    const pods = JSON.parse(kubectl(["-n", namespace, "get", "pods", "-o", "json"]).stdout) as {
        items: (Pod & { metadata: { uid: string } })[];
    };
    const byWorkload: Record<string, string[]> = {};
    for (const pod of pods.items.filter((p) => !p.metadata.ownerReferences?.some((owner) => owner.kind === "Job"))) {
        const workload = pod.metadata.labels?.["app.kubernetes.io/name"] ?? pod.metadata.name;
        byWorkload[workload] = [...(byWorkload[workload] ?? []), pod.metadata.uid].sort();
    }
    return byWorkload;
}

/**
 * Waits until the namespace's serving pods are all Ready and none is terminating: `pulumi up` returns when
 * the new pods are available, while the old ones still drain (preStop, graceful shutdown) and may answer.
 * Returns the seconds it took.
 */
export async function settledPods(namespace: string, timeoutMs = 180_000): Promise<number> {
    const started = Date.now();
    for (;;) {
        const pods = JSON.parse(kubectl(["-n", namespace, "get", "pods", "-o", "json"]).stdout) as {
            items: (Pod & { metadata: { deletionTimestamp?: string } })[];
        };
        const serving = pods.items.filter((p) => !p.metadata.ownerReferences?.some((owner) => owner.kind === "Job"));
        const unsettled = serving.filter((p) => p.metadata.deletionTimestamp !== undefined || !isReady(p)).map((p) => p.metadata.name);
        if (unsettled.length === 0) {
            return (Date.now() - started) / 1000;
        }
        assert.ok(
            Date.now() - started < timeoutMs,
            `pods still terminating or not Ready after ${timeoutMs / 1000} s: ${unsettled.join(", ")}`,
        );
        await new Promise((resolve) => setTimeout(resolve, 1000));
    }
}

/** The node's Traefik (scripts/cluster): Ingresses of class traefik are served here. */
export const INGRESS_ADDRESS = { host: "127.0.0.1", port: 18080 };

/** A GET through the node's Traefik with a Host header, as a browser sent to the Ingress host would make. */
export function ingressGet(route: string, host: string): Promise<Reply> {
    return new Promise((resolve, reject) => {
        const request = http.get({ ...INGRESS_ADDRESS, path: route, headers: { host }, timeout: 15_000 }, (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("end", () =>
                resolve({ status: response.statusCode ?? 0, type: response.headers["content-type"] ?? "", body: Buffer.concat(chunks) }),
            );
        });
        request.on("timeout", () => request.destroy(new Error(`GET ${route} (Host ${host}) through Traefik timed out`)));
        request.on("error", reject);
    });
}

// ---- Probes, evictions and steady load (isolation and availability suites) ----

/** A probe pod: who it pretends to be (the labels policies select on) and where it runs. */
export interface ProbeSpec {
    /** Pod name, unique in its namespace. */
    name: string;
    namespace: string;
    /** Labels NetworkPolicies select on, e.g. selectorLabels("blog"); none for an anonymous pod. */
    labels: Record<string, string>;
}

/** Marks probe pods, so they are found and removed together. */
export const PROBE_LABEL = "blog.test/probe";

/**
 * A restricted-PSS pod that idles so `kubectl exec` can run connection checks from it. It carries a
 * workload's selector labels, which its Service selects too: its readiness probe never passes, so an
 * EndpointSlice lists it as not ready and no Service traffic reaches it (NetworkPolicy ignores
 * readiness). It has no pod-template-hash label, so no ReplicaSet adopts it, and its name is not a
 * StatefulSet member's.
 */
export function probePodManifest(probe: ProbeSpec, image: string): object {
    return {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: probe.name, namespace: probe.namespace, labels: { ...probe.labels, [PROBE_LABEL]: "true" } },
        spec: {
            terminationGracePeriodSeconds: 0,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
                {
                    name: "probe",
                    image,
                    command: ["sleep", "infinity"],
                    readinessProbe: { exec: { command: ["false"] }, periodSeconds: 300 },
                    resources: { requests: { cpu: "5m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
                    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                },
            ],
        },
    };
}

/**
 * Creates the probe pods and waits until each runs (they never become Ready, by design). A namespace's
 * ResourceQuota admits its own workloads and their surge pods only, so each quota's pod count is raised
 * by the probes it must hold; the throw-away stack is destroyed afterwards.
 */
export function startProbePods(probes: readonly ProbeSpec[], image: string): void {
    for (const namespace of new Set(probes.map((probe) => probe.namespace))) {
        const count = probes.filter((probe) => probe.namespace === namespace).length;
        const quotas = JSON.parse(kubectl(["-n", namespace, "get", "resourcequota", "-o", "json"]).stdout) as {
            items: { metadata: { name: string }; spec: { hard: Record<string, string> } }[];
        };
        for (const quota of quotas.items.filter((q) => q.spec.hard.pods !== undefined)) {
            const pods = String(Number(quota.spec.hard.pods) + count);
            const name = `resourcequota/${quota.metadata.name}`;
            kubectl(["-n", namespace, "patch", name, "--type=merge", "-p", JSON.stringify({ spec: { hard: { pods } } })]);
            // Admission counts against status.hard, which the quota controller copies from spec a moment later.
            kubectl(["-n", namespace, "wait", name, `--for=jsonpath={.status.hard.pods}=${pods}`, "--timeout=30s"]);
        }
    }
    const list = { apiVersion: "v1", kind: "List", items: probes.map((probe) => probePodManifest(probe, image)) };
    kubectlWithInput(["apply", "-f", "-"], JSON.stringify(list));
    for (const namespace of new Set(probes.map((probe) => probe.namespace))) {
        kubectl(["-n", namespace, "wait", "--for=jsonpath={.status.phase}=Running", "pod", "-l", PROBE_LABEL, "--timeout=120s"]);
    }
}

/** Deletes every probe pod of these namespaces; never fails (after() hooks call it). */
export function removeProbePods(namespaces: readonly string[]): void {
    for (const namespace of namespaces) {
        kubectl(["-n", namespace, "delete", "pod", "-l", PROBE_LABEL, "--ignore-not-found", "--wait=false"], { mayFail: true });
    }
}

/** One TCP destination a probe tries. */
export interface TcpTarget {
    host: string;
    port: number;
}

/**
 * From one probe pod, opens a TCP connection to every target at once and resolves `dnsName` through
 * cluster DNS, all in one `kubectl exec`, with one deadline of `timeoutSeconds` for all of them. Returns
 * which targets accepted (keyed "host:port"), whether the name resolved, and the slowest accepted
 * connect in milliseconds.
 *
 * Each connect is a subshell of the one bash (`exec 3<>/dev/tcp/...`: a fork, no new program), and a
 * single loop kills what is still waiting at the deadline. The probe used to start `timeout 2 bash -c`
 * per cell: 18 probes × 15 cells started 540 programs on 2 cores at once, so an allowed connect that the
 * network completes in under a millisecond measured 0.6 s at the median and 1.4 s at worst on a quiet
 * machine (2026-12-04), and past the 2 s bound on a slower one, where the matrix showed a different set
 * of allowed edges "closed" in each round. A connect that policy drops never completes, however long
 * the wait; one that is allowed now completes within milliseconds of the probe starting.
 */
export async function probeReachability(
    probe: ProbeSpec,
    targets: readonly TcpTarget[],
    dnsName: string,
    timeoutSeconds = 2,
): Promise<{ open: Set<string>; dns: boolean; slowestOpenMs: number }> {
    const checks = targets.map(
        ({ host, port }) =>
            `( s=$EPOCHREALTIME; exec 3<>/dev/tcp/${host}/${port} && echo "open ${host}:${port} $s $EPOCHREALTIME" ) 2>/dev/null &`,
    );
    const script = [
        ...checks,
        // getent as a job of its own (not inside a subshell), so the kill below stops it: an orphaned getent
        // of a pod without DNS would hold the exec's output open for its own retries.
        `getent hosts ${dnsName} >/dev/null & dns=$!`,
        // Poll with bash's own read -t (no sleep program) until every check is done or the deadline passes;
        // EPOCHREALTIME without its dot is the clock in microseconds, read without starting a program.
        `deadline=$(( \${EPOCHREALTIME/./} + ${timeoutSeconds * 1_000_000} ))`,
        `while [[ -n "$(jobs -rp)" ]] && (( \${EPOCHREALTIME/./} < deadline )); do read -rt 0.05 <> <(:) || true; done`,
        `kill $(jobs -rp) 2>/dev/null; wait "$dns" && echo 'dns ok'; wait 2>/dev/null; true`,
    ].join("\n");
    const { stdout } = await kubectlAsync(["-n", probe.namespace, "exec", probe.name, "--", "bash", "-c", script]);
    const lines = stdout.split("\n").map((line) => line.trim());
    const opened = lines.filter((line) => line.startsWith("open ")).map((line) => line.split(" "));
    return {
        open: new Set(opened.map(([, target]) => target)),
        dns: lines.includes("dns ok"),
        slowestOpenMs: Math.max(0, ...opened.map(([, , from, to]) => (Number(to) - Number(from)) * 1000)),
    };
}

/** What the API server answered to an eviction: 201 allowed, 429 refused by a disruption budget. */
export interface EvictionResult {
    allowed: boolean;
    /** The API's message when refused. */
    message: string;
}

/** Asks the API server to evict a pod (policy/v1 Eviction), as `kubectl drain` does. */
export function evictPod(namespace: string, pod: string): EvictionResult {
    const eviction = { apiVersion: "policy/v1", kind: "Eviction", metadata: { name: pod, namespace } };
    const result = kubectlWithInput(
        ["create", "--raw", `/api/v1/namespaces/${namespace}/pods/${pod}/eviction`, "-f", "-"],
        JSON.stringify(eviction),
        true,
    );
    return { allowed: result.status === 0, message: result.status === 0 ? "" : result.stderr.trim() };
}

/** Counts of a steady request loop. */
export interface LoadReport {
    requests: number;
    /** Responses other than 2xx, and requests that failed or timed out, by cause. */
    failures: number;
    causes: Record<string, number>;
    /** Requests per second achieved. */
    rate: number;
}

/**
 * GETs `url` from `concurrency` loops until `until` resolves, each request bounded by `timeoutMs`;
 * every non-2xx status and every error counts as a failure.
 */
export async function steadyLoad(
    url: string,
    until: Promise<unknown>,
    options: { concurrency?: number; pauseMs?: number; timeoutMs?: number } = {},
): Promise<LoadReport> {
    const { concurrency = 4, pauseMs = 0, timeoutMs = 5000 } = options;
    const report: LoadReport = { requests: 0, failures: 0, causes: {}, rate: 0 };
    let done = false;
    const stop = until.finally(() => {
        done = true;
    });
    const started = Date.now();
    const fail = (cause: string) => {
        report.failures++;
        report.causes[cause] = (report.causes[cause] ?? 0) + 1;
    };
    const loop = async () => {
        while (!done) {
            report.requests++;
            try {
                const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
                await response.arrayBuffer();
                if (response.status < 200 || response.status > 299) {
                    fail(`HTTP ${response.status}`);
                }
            } catch (error) {
                fail((error as Error).name === "TimeoutError" ? "timeout" : `${(error as Error).message}`);
            }
            if (pauseMs > 0) {
                await new Promise((resolve) => setTimeout(resolve, pauseMs));
            }
        }
    };
    await Promise.all([...Array.from({ length: concurrency }, loop), stop.catch(() => undefined)]);
    report.rate = report.requests / ((Date.now() - started) / 1000);
    await stop;
    return report;
}

/** kubectl with a document on stdin; fails with kubectl's stderr unless mayFail. */
export function kubectlWithInput(args: string[], input: string, mayFail = false): Result {
    const result = spawnSync("kubectl", args, { input, encoding: "utf8", env: { ...process.env, KUBECONFIG } });
    const out = { status: result.status ?? -1, stdout: result.stdout ?? "", stderr: result.stderr ?? String(result.error ?? "") };
    if (!mayFail && out.status !== 0) {
        throw new Error(`kubectl ${args.join(" ")} exited ${out.status}\n${out.stderr}`);
    }
    return out;
}

/** kubectl without blocking the event loop, so several run at once (and load loops keep going meanwhile). */
export function kubectlAsync(args: string[], mayFail = false): Promise<Result> {
    return new Promise((resolve, reject) => {
        const child = spawn("kubectl", args, { env: { ...process.env, KUBECONFIG } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk) => {
            stdout += chunk;
        });
        child.stderr.on("data", (chunk) => {
            stderr += chunk;
        });
        child.on("error", reject);
        child.on("close", (status) => {
            if (!mayFail && status !== 0) {
                reject(new Error(`kubectl ${args.join(" ")} exited ${status}\n${stderr}`));
            } else {
                resolve({ status: status ?? -1, stdout, stderr });
            }
        });
    });
}

// ---- Disturbing a running stack and reading its data back (added for data.test.ts) -------------------

/** Waits until the namespace has serving pods and every one is Ready; returns the seconds it took. */
export async function waitForReadyPods(namespace: string, timeoutMs = 300_000): Promise<number> {
    const started = Date.now();
    for (;;) {
        const pods = servingPods(namespace);
        if (pods.length > 0 && pods.every(isReady)) {
            return (Date.now() - started) / 1000;
        }
        if (Date.now() - started > timeoutMs) {
            const waiting = pods.filter((pod) => !isReady(pod)).map((pod) => `${pod.metadata.name} (${pod.status.phase})`);
            throw new Error(`pods of ${namespace} not Ready after ${timeoutMs / 1000} s: ${waiting.join(", ")}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 2000));
    }
}

/**
 * One SQL statement run by psql inside the database's pod, over its local socket (trusted there, so no
 * password travels); returns psql's unaligned, tuples-only output.
 */
export function sqlInDatabasePod(namespace: string, sql: string, database = "blog", user = "blog"): string {
    return kubectl([
        "-n",
        namespace,
        "exec",
        "postgres-0",
        "-c",
        "postgres",
        "--",
        "psql",
        "--no-psqlrc",
        "-v",
        "ON_ERROR_STOP=1",
        `--username=${user}`,
        `--dbname=${database}`,
        "--tuples-only",
        "--no-align",
        "-c",
        sql,
    ]).stdout.trim();
}

/** `kubectl rollout restart` of every Deployment in the namespace, then each rollout waited for. */
export function restartEveryDeployment(namespace: string, timeoutSeconds = 300): { deployments: string[]; seconds: number } {
    const started = Date.now();
    const deployments = kubectl(["-n", namespace, "get", "deployments", "-o", "name"]).stdout.trim().split("\n").filter(Boolean);
    for (const deployment of deployments) {
        kubectl(["-n", namespace, "rollout", "restart", deployment]);
    }
    for (const deployment of deployments) {
        kubectl(["-n", namespace, "rollout", "status", deployment, `--timeout=${timeoutSeconds}s`]);
    }
    return { deployments: deployments.map((name) => name.replace(/^deployment\.apps\//, "")), seconds: (Date.now() - started) / 1000 };
}

/** Restarts the real node's kubelet the way `scripts/cluster restart-kubelet` does; returns its output and seconds. */
export function restartKubelet(): { seconds: number; output: string } {
    const started = Date.now();
    const result = spawnSync(path.join(REPO_ROOT, "scripts", "cluster"), ["restart-kubelet"], {
        cwd: REPO_ROOT,
        encoding: "utf8",
        timeout: 5 * 60 * 1000,
    });
    assert.strictEqual(result.status, 0, `scripts/cluster restart-kubelet failed:\n${result.stdout}\n${result.stderr}`);
    return { seconds: (Date.now() - started) / 1000, output: `${result.stdout}${result.stderr}` };
}

/** Waits for a Job to succeed; fails as soon as it fails (or times out), with its pods' logs. Returns seconds. */
export async function waitForJob(namespace: string, job: string, timeoutSeconds = 600): Promise<number> {
    const started = Date.now();
    const logs = () => {
        const result = kubectl(["-n", namespace, "logs", `job/${job}`, "--all-containers", "--prefix"], { mayFail: true });
        return `${result.stdout}${result.stderr}`;
    };
    for (;;) {
        const status = JSON.parse(kubectl(["-n", namespace, "get", "job", job, "-o", "json"]).stdout).status as {
            conditions?: { type: string; status: string; message?: string }[];
        };
        const holds = (type: string) => status.conditions?.find((c) => c.type === type && c.status === "True");
        if (holds("Complete")) {
            return (Date.now() - started) / 1000;
        }
        const failed = holds("Failed");
        if (failed) {
            throw new Error(`job ${job} failed (${failed.message ?? "no message"}):\n${logs()}`);
        }
        if (Date.now() - started > timeoutSeconds * 1000) {
            throw new Error(`job ${job} did not finish within ${timeoutSeconds} s:\n${logs()}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
    }
}

// ---- Monitoring (helper "mon"): secret config, port-forwards, Prometheus's HTTP API, a webhook receiver ----

/** deployStack, with secret config values (`pulumi config set --secret --path`) set before `pulumi up`. */
export function deployStackWithSecrets(
    base: "dev" | "prod",
    name: string,
    overrides: Record<string, unknown>,
    secrets: Record<string, string>,
): DeployedStack {
    requireLocalCluster();
    const stack = stackFrom(base, overrides, name);
    for (const [configPath, value] of Object.entries(secrets)) {
        pulumi(["config", "set", "--secret", "--path", "--stack", stack, configPath, value], REPO_ROOT);
    }
    const started = Date.now();
    pulumi(["up", "--yes", "--skip-preview", "--stack", stack], REPO_ROOT);
    return { stack, namespace: `blog-${stack}`, upSeconds: (Date.now() - started) / 1000 };
}

export interface PortForward {
    /** http://127.0.0.1:<local port> */
    url: string;
    close(): void;
}

/**
 * `kubectl port-forward` of a pod's port to a free port on 127.0.0.1. It enters the pod through the kubelet,
 * so the pod's NetworkPolicy (which may admit no one outside its namespace) is not in the way.
 */
export async function portForward(namespace: string, target: string, port: number): Promise<PortForward> {
    const child = spawn(
        "kubectl",
        ["--kubeconfig", KUBECONFIG, "-n", namespace, "port-forward", "--address", "127.0.0.1", target, `:${port}`],
        {
            stdio: ["ignore", "pipe", "pipe"],
        },
    );
    const close = () => {
        if (child.exitCode === null) {
            child.kill();
        }
    };
    let output = "";
    const local = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`port-forward ${target}: no port after 20 s: ${output}`)), 20_000);
        const read = (chunk: Buffer) => {
            output += chunk.toString();
            const match = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(output);
            if (match) {
                clearTimeout(timer);
                resolve(Number(match[1]));
            }
        };
        child.stdout.on("data", read);
        child.stderr.on("data", read);
        child.on("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`port-forward ${target} exited ${code}: ${output}`));
        });
    }).catch((error) => {
        close();
        throw error;
    });
    return { url: `http://127.0.0.1:${local}`, close };
}

export interface Sample {
    metric: Record<string, string>;
    value: [number, string];
}

export interface PrometheusAlert {
    labels: Record<string, string>;
    state: "pending" | "firing";
    activeAt: string;
}

export interface ScrapeTarget {
    labels: Record<string, string>;
    scrapeUrl: string;
    health: "up" | "down" | "unknown";
    lastError: string;
}

/** Prometheus's HTTP API (/api/v1): instant queries, active targets and alerts. */
export class PrometheusApi {
    constructor(readonly baseUrl: string) {}

    private async get<T>(path: string): Promise<T> {
        const response = await fetch(`${this.baseUrl}/api/v1/${path}`, { signal: AbortSignal.timeout(15_000) });
        const body = (await response.json()) as { status: string; data: T; error?: string };
        assert.strictEqual(body.status, "success", `GET /api/v1/${path}: ${body.error ?? response.status}`);
        return body.data;
    }

    /** An instant query's vector (scalars come back as one sample without labels). */
    async query(expr: string): Promise<Sample[]> {
        const data = await this.get<{ resultType: string; result: Sample[] | [number, string] }>(`query?query=${encodeURIComponent(expr)}`);
        return data.resultType === "vector" ? (data.result as Sample[]) : [{ metric: {}, value: data.result as [number, string] }];
    }

    async targets(): Promise<ScrapeTarget[]> {
        return (await this.get<{ activeTargets: ScrapeTarget[] }>("targets?state=active")).activeTargets;
    }

    async alerts(): Promise<PrometheusAlert[]> {
        return (await this.get<{ alerts: PrometheusAlert[] }>("alerts")).alerts;
    }

    /** Every rule with its health and last evaluation error, as "group/name: health error". */
    async ruleHealth(): Promise<string[]> {
        const data = await this.get<{ groups: { name: string; rules: { name: string; health: string; lastError?: string }[] }[] }>("rules");
        return data.groups.flatMap((g) => g.rules.map((r) => `${g.name}/${r.name}: ${r.health}${r.lastError ? ` ${r.lastError}` : ""}`));
    }
}

/** One notification Alertmanager POSTed (its webhook payload, version 4), with when it arrived. */
export interface Notification {
    receivedAt: number;
    status: "firing" | "resolved";
    alerts: { status: "firing" | "resolved"; labels: Record<string, string> }[];
}

/** An HTTP receiver for Alertmanager's webhooks, on an address pods can reach (the node's bridge, never 0.0.0.0). */
export class WebhookReceiver {
    readonly notifications: Notification[] = [];
    private server?: http.Server;

    /** Listens on `host` at a free port and returns the URL to configure. */
    async listen(host: string, path = "/alertmanager"): Promise<string> {
        this.server = http.createServer((request, response) => {
            let body = "";
            request.on("data", (chunk: Buffer) => {
                body += chunk.toString();
            });
            request.on("end", () => {
                if (request.method === "POST" && request.url === path) {
                    try {
                        this.notifications.push({ ...(JSON.parse(body) as Omit<Notification, "receivedAt">), receivedAt: Date.now() });
                    } catch {
                        // A body that is not JSON is not a notification; Alertmanager never sends one.
                    }
                }
                response.writeHead(200).end();
            });
        });
        const server = this.server;
        await new Promise<void>((resolve, reject) => {
            server.once("error", reject);
            server.listen(0, host, () => resolve());
        });
        return `http://${host}:${(server.address() as AddressInfo).port}${path}`;
    }

    /** The first notification at or after `since` carrying an alert that `matches` in `status`. */
    find(status: "firing" | "resolved", matches: (labels: Record<string, string>) => boolean, since = 0): Notification | undefined {
        return this.notifications.find(
            (n) => n.receivedAt >= since && n.alerts.some((alert) => alert.status === status && matches(alert.labels)),
        );
    }

    close(): void {
        this.server?.close();
        this.server?.closeAllConnections();
    }
}

/** Polls `probe` every `everyMs` until it returns a value, or fails after `timeoutMs` naming `what`. */
export async function waitFor<T>(
    what: string,
    probe: () => Promise<T | undefined> | T | undefined,
    timeoutMs: number,
    everyMs = 2000,
): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    while (Date.now() < deadline) {
        try {
            const value = await probe();
            if (value !== undefined) {
                return value;
            }
        } catch (error) {
            lastError = error;
        }
        await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
    throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ""}`);
}
