// Load benchmark (not a test): local prod on the real node, prod's CPU limits enforced by the kubelet.
// Through one gateway pod, one route at a time, it measures RPS and p95 beside the reference's capacity
// table, reads the CFS throttling of the pods on the path (cgroup cpu.stat), and runs the gateway's own
// nginx.conf on loopback outside the cluster against the same routes for comparison. Needs the real-node
// cluster (scripts/cluster up, scripts/images push) with nothing else deployed on it:
//   source scripts/lib/pulumi-env.sh
//   npx ts-node --transpile-only scripts/bench-load.ts [--namespace NS] [--duration S] [--connections N]
// Without --namespace it deploys a throw-away local prod (stack e2e-load) and destroys it afterwards;
// --gateway-cpu-limit Q then re-runs the gateway's routes with the gateway's CPU limit raised to Q.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import autocannon from "autocannon";
import { kubectl } from "../harness/cli";
import { REFERENCE, type Tier, type Verdict, verdict } from "./lib/capacity";
import { localProdOverrides, readProdStackFile } from "./lib/local-prod";
import { BlogClient, gatewayUrl } from "../harness/blog-client";
import { isReady, type Pod, servingPods } from "../harness/kube";
import { type DeployedStack, deployLocalProd, destroyProtectedStack } from "../harness/stacks";

const ROOT = path.resolve(__dirname, "..");
const OUT = path.join(ROOT, ".state", "bench-load");
const NGINX = "/usr/sbin/nginx";

interface Route {
    tier: Tier;
    path: string;
    headers?: Record<string, string>;
    /** What serves it beyond the gateway (whose pods' throttling is read). */
    backend?: string;
    /** The same request sent to the backend's Service directly (the gateway strips the route's prefix). */
    direct?: string;
}

interface Throttle {
    periods: number;
    throttled: number;
    throttledSeconds: number;
    cpuSeconds: number;
}

interface Measured {
    rps: number;
    p50: number;
    p95: number;
    p99: number;
    non2xx: number;
    errors: number;
    requests: number;
}

function option(name: string, fallback: string): string {
    const at = process.argv.indexOf(`--${name}`);
    return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

const DURATION = Number(option("duration", "10"));
/** Only these rows of the table (comma-separated), e.g. --tiers blog,comment. @default every row */
const TIERS = option("tiers", "").split(",").filter(Boolean);
const CONNECTIONS = Number(option("connections", "32"));

/**
 * One autocannon run: as fast as the connections go, or at `rate` requests a second in all (latency at
 * the reference's rate rather than at saturation). p95 comes from every response's latency (autocannon's
 * summary has p90 and p97.5, not p95).
 */
async function load(url: string, headers: Record<string, string> = {}, rate?: number): Promise<Measured> {
    const latencies: number[] = [];
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
        const options = { url, connections: CONNECTIONS, duration: DURATION, headers, ...(rate ? { overallRate: rate } : {}) };
        const instance = autocannon(options, (error, done) => (error ? reject(error) : resolve(done)));
        instance.on("response", (_client, _status, _bytes, ms) => latencies.push(ms));
    });
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
    return {
        rps: result.requests.total / result.duration,
        p50: at(0.5),
        p95: at(0.95),
        p99: at(0.99),
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
        requests: result.requests.total,
    };
}

/** A pod's cgroups (v1, cgroupfs driver, the node's cgroupRoot blog-node, QoS class burstable here). */
function podCgroup(controller: "cpu" | "cpuacct", pod: Pod): string | undefined {
    const uid = (pod.metadata as { uid?: string }).uid;
    return ["burstable", "guaranteed", "besteffort", ""]
        .map((qos) => path.join("/sys/fs/cgroup", controller, "blog-node", "kubepods", qos, `pod${uid}`))
        .find((dir) => fs.existsSync(dir));
}

/** Reads a cgroup v1 cpu.stat into numbers. */
function cpuStat(dir: string): Record<string, number> {
    const lines = fs.readFileSync(path.join(dir, "cpu.stat"), "utf8").trim().split("\n");
    return Object.fromEntries(lines.map((line) => line.split(" ")).map(([key, value]) => [key, Number(value)]));
}

/**
 * CFS periods and throttled periods of a pod's containers, and CPU seconds used so far by the pod. The
 * kubelet sets each container's limit on the container's own cgroup (the pod's is their sum), so a
 * container at its limit is throttled there, not at the pod level.
 */
function podThrottle({ pod, container }: Member): Throttle | undefined {
    const cpu = podCgroup("cpu", pod);
    const acct = podCgroup("cpuacct", pod);
    if (!cpu || !acct) {
        return undefined;
    }
    // A container's cgroup is named by its runtime ID, which the pod's status maps to the container's name.
    const id = container
        ? pod.status.containerStatuses?.find((status) => status.name === container)?.containerID?.replace(/^[a-z]+:\/\//, "")
        : undefined;
    if (container && !id) {
        return undefined;
    }
    const dirs = fs
        .readdirSync(cpu, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && (!id || entry.name === id))
        .map((entry) => entry.name)
        .filter((name) => Number(fs.readFileSync(path.join(cpu, name, "cpu.cfs_quota_us"), "utf8")) > 0);
    const stats = dirs.map((name) => cpuStat(path.join(cpu, name)));
    const usage = (dir: string) => Number(fs.readFileSync(path.join(dir, "cpuacct.usage"), "utf8")) / 1e9;
    return {
        periods: stats.reduce((sum, stat) => sum + stat.nr_periods, 0),
        throttled: stats.reduce((sum, stat) => sum + stat.nr_throttled, 0),
        throttledSeconds: stats.reduce((sum, stat) => sum + stat.throttled_time / 1e9, 0),
        cpuSeconds: id ? usage(path.join(acct, id)) : usage(acct),
    };
}

/** The machine's busy and total CPU time so far (/proc/stat), for how busy its 2 cores were. */
function machineCpu(): { busy: number; total: number } {
    const [, ...fields] = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = fields.map(Number);
    const busy = user + nice + system + irq + softirq + steal;
    return { busy, total: busy + idle + iowait };
}

/** A pod, or one container of it, whose CPU a group adds up. */
interface Member {
    pod: BenchPod;
    container?: string;
}

type BenchPod = Pod & {
    spec?: { volumes?: { configMap?: { name: string } }[] };
    status: Pod["status"] & { containerStatuses?: { name: string; containerID?: string }[] };
};

interface GroupUse {
    /** Share of the group's containers' CFS periods in which they were throttled. */
    throttled: number;
    /** CPUs the group used on average. */
    cpu: number;
}

interface RunUse<T> {
    result: T;
    groups: GroupUse[];
    /** CPUs the whole machine was busy, of os.cpus().length. */
    machine: number;
    /** CPUs this process (autocannon) used. */
    loadGenerator: number;
}

/** Over a run: for each group of pods its throttling and CPU; the machine's and the load generator's CPU. */
async function withThrottle<T>(groups: Member[][], run: () => Promise<T>): Promise<RunUse<T>> {
    const before = groups.map((pods) => pods.map(podThrottle));
    const machineBefore = machineCpu();
    const ownBefore = process.cpuUsage();
    const started = performance.now();
    const result = await run();
    const seconds = (performance.now() - started) / 1000;
    const own = process.cpuUsage(ownBefore);
    const machineAfter = machineCpu();
    const cores = os.cpus().length;
    return {
        result,
        machine: ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * cores,
        loadGenerator: (own.user + own.system) / 1e6 / seconds,
        groups: groups.map((pods, g) => {
            let periods = 0;
            let throttled = 0;
            let cpu = 0;
            pods.map(podThrottle).forEach((a, i) => {
                const b = before[g][i];
                if (a && b) {
                    periods += a.periods - b.periods;
                    throttled += a.throttled - b.throttled;
                    cpu += a.cpuSeconds - b.cpuSeconds;
                }
            });
            return { throttled: periods > 0 ? throttled / periods : 0, cpu: cpu / seconds };
        }),
    };
}

function podsOf(namespace: string, name: string): BenchPod[] {
    const pods = JSON.parse(kubectl(["-n", namespace, "get", "pods", "-l", `app.kubernetes.io/name=${name}`, "-o", "json"]).stdout);
    return (pods.items as BenchPod[]).filter(isReady);
}

const whole = (pods: BenchPod[]): Member[] => pods.map((pod) => ({ pod }));

/**
 * The gateway's own nginx.conf (from its pod's ConfigMap) on 127.0.0.1 outside the cluster: the same
 * server and routes, listening on loopback, with each upstream's Service name replaced by its ClusterIP
 * (the host resolves no cluster names; kube-proxy balances the ClusterIP as it does for the pod).
 */
function startLoopbackNginx(namespace: string, gatewayPod: BenchPod) {
    const configMaps = (gatewayPod.spec?.volumes ?? []).map((v) => v.configMap?.name).filter((n): n is string => !!n);
    const conf = configMaps
        .map((name) => JSON.parse(kubectl(["-n", namespace, "get", "configmap", name, "-o", "json"]).stdout).data?.["nginx.conf"])
        .find((text): text is string => typeof text === "string");
    if (!conf) {
        throw new Error(`no nginx.conf in the gateway pod's ConfigMaps (${configMaps.join(", ")})`);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-load-nginx-"));
    fs.chmodSync(dir, 0o777);
    const port = 18480;
    const rewritten = conf
        .replace(/listen 8080;/, `listen 127.0.0.1:${port};`)
        .replace(/listen 127\.0\.0\.1:(\d+);/, (line, p) => (p === String(port) ? line : "listen 127.0.0.1:18481;"))
        .replaceAll("/tmp/", `${dir}/`)
        .replace(/server ([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local:(\d+)([^;]*);/g, (_line, service, ns, p, params) => {
            const ip = kubectl(["-n", ns, "get", "service", service, "-o", "jsonpath={.spec.clusterIP}"]).stdout.trim();
            return `server ${ip}:${p}${params};`;
        })
        .replace(/server ([a-z0-9-]+):(\d+)([^;]*);/g, (_line, service, p, params) => {
            const ip = kubectl(["-n", namespace, "get", "service", service, "-o", "jsonpath={.spec.clusterIP}"]).stdout.trim();
            return `server ${ip}:${p}${params};`;
        })
        .replace(/listen 9464;/, "listen 127.0.0.1:18482;")
        .replace(/access_log \/dev\/stdout/, `access_log ${dir}/access.log`)
        // No exporter listens beside it here: without this line every request logs a refused syslog send.
        .replace(/^\s*access_log syslog:.*$/m, "");
    fs.writeFileSync(path.join(dir, "nginx.conf"), rewritten);
    const check = spawnSync(NGINX, ["-t", "-p", dir, "-c", path.join(dir, "nginx.conf"), "-e", "stderr"], { encoding: "utf8" });
    if (check.status !== 0) {
        throw new Error(`nginx -t on the rewritten gateway config failed:\n${check.stderr}\n${rewritten}`);
    }
    const nginx: ChildProcess = spawn(NGINX, ["-p", dir, "-c", path.join(dir, "nginx.conf"), "-e", "stderr", "-g", "daemon off;"], {
        stdio: ["ignore", "ignore", "inherit"],
    });
    const exited = new Promise((resolve) => nginx.on("exit", resolve));
    const stop = async () => {
        nginx.kill("SIGQUIT");
        await exited;
        fs.rmSync(dir, { recursive: true, force: true });
    };
    return { url: `http://127.0.0.1:${port}`, stop };
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "-");

/** What one run measured: the load's figures and the CPU each group on the path used. */
interface Row extends Measured {
    where: string;
    rate: number | "max";
    tier: Tier;
    url: string;
    gateway: GroupUse;
    exporter: GroupUse;
    backend: GroupUse;
    stores: GroupUse;
    machine: number;
    loadGenerator: number;
    load1: number;
}

interface PathPods {
    /** The gateway pod: its nginx (container "gateway") and its metrics exporter, read apart (the exporter parses every log line). */
    gateway: BenchPod[];
    backend: BenchPod[];
    stores: BenchPod[];
}

/** Microseconds of CPU a group spent per request answered, over a run of `seconds`. */
const cpuPerRequest = (use: GroupUse, row: Measured, seconds: number) => (use.cpu * seconds * 1e6) / Math.max(1, row.requests);

/** Runs one route against one address, prints a line and keeps a row for the report. */
async function measure(where: string, url: string, route: Route, pods: PathPods, rows: Row[], rate?: number): Promise<Row> {
    const load1 = os.loadavg()[0];
    const groups = [
        pods.gateway.map((pod) => ({ pod, container: "gateway" })),
        pods.gateway.map((pod) => ({ pod, container: "metrics-exporter" })),
        whole(pods.backend),
        whole(pods.stores),
    ];
    const run = await withThrottle(groups, () => load(url, route.headers, rate));
    const [gateway, exporter, backend, stores] = run.groups;
    const m = run.result;
    const row: Row = {
        where,
        rate: rate ?? "max",
        tier: route.tier,
        url,
        ...m,
        gateway,
        exporter,
        backend,
        stores,
        machine: run.machine,
        loadGenerator: run.loadGenerator,
        load1,
    };
    rows.push(row);
    const reference = REFERENCE[route.tier];
    const use = (name: string, g: GroupUse) =>
        `${name} ${fmt(g.cpu, 2)} CPU (${fmt(cpuPerRequest(g, m, DURATION))} µs/req), throttled ${fmt(g.throttled * 100)}%`;
    console.log(
        `${where} ${url} ${rate ? `at ${rate}/s` : "at max"}: ${fmt(m.rps)} RPS, p50 ${fmt(m.p50, 1)} / p95 ${fmt(m.p95, 1)} ms ` +
            `(reference ${reference.rps} / ${reference.p95} ms); ` +
            [
                pods.gateway.length ? use("gateway", gateway) : "",
                pods.gateway.length ? use("exporter", exporter) : "",
                pods.backend.length ? use(route.backend ?? "", backend) : "",
            ]
                .filter(Boolean)
                .join("; ") +
            `; postgres+redis ${fmt(stores.cpu, 2)} CPU; machine ${fmt(run.machine, 2)} of ${os.cpus().length} CPUs busy, ` +
            `autocannon ${fmt(run.loadGenerator, 2)}; non-2xx ${m.non2xx}, errors ${m.errors}, load ${fmt(load1, 1)}`,
    );
    return row;
}

/** The table the issue asks for: target, measured and met/missed per row, and the load generator's share. */
function printVerdicts(title: string, verdicts: Verdict<Row>[]): void {
    console.log(`\n${title}`);
    console.log(
        "| row | reference | target | at the reference's rate | saturation | CPU/request (gateway + exporter, backend) | autocannon | |",
    );
    console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (const v of verdicts) {
        const r = REFERENCE[v.tier];
        const perReq = (g: GroupUse) => fmt(cpuPerRequest(g, v.atRate, DURATION));
        const backend = v.tier === "gateway" ? "-" : `${perReq(v.atRate.backend)} µs`;
        console.log(
            `| ${v.tier} | ${r.rps} RPS, p95 ${r.p95} ms | p95 ≤ ${fmt(v.p95Target, 1)} ms, ≥ ${fmt(v.rpsTarget)} RPS | ` +
                `${fmt(v.atRate.rps)} RPS, p95 ${fmt(v.atRate.p95, 1)} ms | ${fmt(v.atMax.rps)} RPS | ` +
                `${perReq(v.atRate.gateway)} + ${perReq(v.atRate.exporter)} µs, ${backend} | ` +
                `${fmt((v.atMax.loadGenerator / Math.max(0.01, v.atMax.machine)) * 100)}% of busy CPU | ` +
                `${v.met ? "met" : `missed: ${v.why.join("; ")}`} |`,
        );
    }
}

/** The Service's in-cluster address (the host reaches ClusterIPs through kube-proxy's rules). */
function clusterIp(namespace: string, service: string): string {
    return kubectl(["-n", namespace, "get", "service", service, "-o", "jsonpath={.spec.clusterIP}"]).stdout.trim();
}

/** The gateway pod a URL from gatewayUrl() points at. */
function gatewayPodAt(namespace: string, url: string): BenchPod {
    const pod = (servingPods(namespace) as BenchPod[]).find((p) => p.status.podIP && url.includes(`//${p.status.podIP}:`));
    if (!pod) {
        throw new Error(`no gateway pod at ${url}`);
    }
    return pod;
}

async function main(): Promise<void> {
    fs.mkdirSync(OUT, { recursive: true });
    const raisedGatewayLimit = option("gateway-cpu-limit", "");
    let deployed: DeployedStack | undefined;
    let namespace = option("namespace", "");
    let nginx: { url: string; stop: () => Promise<void> } | undefined;
    try {
        if (!namespace) {
            deployed = deployLocalProd("load");
            namespace = deployed.namespace;
            console.log(`deployed local prod in ${namespace} (pulumi up ${deployed.upSeconds.toFixed(0)} s)`);
        }
        let gateway = gatewayUrl(namespace);
        let gatewayPod = gatewayPodAt(namespace, gateway);
        const user = new BlogClient(gateway);
        const credentials = await user.signUp("loadtester");
        const post = await user.expect(201, "POST", "/api/posts/", { title: "Under load", body: "A post to read many times." });
        await user.expect(201, "POST", "/api/comments/", { postId: post.id, body: "Read me too." });
        const auth = { authorization: `Bearer ${user.token}` };
        const routes: Route[] = [
            { tier: "gateway", path: "/health" },
            { tier: "auth", path: "/api/auth/me", headers: auth, backend: "auth", direct: "/me" },
            { tier: "blog", path: "/api/posts/", backend: "blog", direct: "/" },
            { tier: "comment", path: `/api/comments/?postId=${post.id}`, backend: "comment", direct: `/?postId=${post.id}` },
        ];
        const unknownTier = TIERS.find((tier) => !(tier in REFERENCE));
        if (unknownTier) {
            throw new Error(`--tiers: no row ${unknownTier} in the reference's table (rows: ${Object.keys(REFERENCE).join(", ")})`);
        }
        if (TIERS.length > 0) {
            routes.splice(0, routes.length, ...routes.filter((route) => TIERS.includes(route.tier)));
        }
        const stores = [...podsOf(namespace, "postgres"), ...podsOf(namespace, "redis")];
        const podsFor = (route: Route, gatewayPods: BenchPod[]): PathPods => ({
            gateway: gatewayPods,
            backend: route.backend ? podsOf(namespace, route.backend) : [],
            stores,
        });

        // Logins are rate-limited per client and cost an argon2id hash each: timed one by one, not loaded.
        const logins: number[] = [];
        for (let i = 0; i < 5; i++) {
            const started = performance.now();
            await user.expect(200, "POST", "/api/auth/login", credentials);
            logins.push(performance.now() - started);
        }
        console.log(`login (argon2id), one at a time: ${logins.map((ms) => fmt(ms)).join(", ")} ms`);

        // What the machine spends with the platform deployed and no load (control plane, probes, scrapes): the
        // share of its CPUs the load cannot have.
        const idleBefore = machineCpu();
        await new Promise((resolve) => setTimeout(resolve, 5000));
        const idleAfter = machineCpu();
        const idle = ((idleAfter.busy - idleBefore.busy) / (idleAfter.total - idleBefore.total)) * os.cpus().length;
        console.log(`machine with no load: ${fmt(idle, 2)} of ${os.cpus().length} CPUs busy`);

        const rows: Row[] = [];
        const verdicts: Verdict<Row>[] = [];
        for (const route of routes) {
            const url = `${gateway}${route.path}`;
            const atMax = await measure("gateway-pod", url, route, podsFor(route, [gatewayPod]), rows);
            const atRate = await measure("gateway-pod", url, route, podsFor(route, [gatewayPod]), rows, REFERENCE[route.tier].rps);
            verdicts.push(verdict(route.tier, atRate, atMax));
        }
        // The same services without the gateway: what each route would do if the gateway cost nothing.
        for (const route of routes.filter((r) => r.backend && r.direct)) {
            const url = `http://${clusterIp(namespace, route.backend ?? "")}:8080${route.direct}`;
            await measure("service", url, route, podsFor(route, []), rows);
        }

        nginx = startLoopbackNginx(namespace, gatewayPod);
        await new Promise((resolve) => setTimeout(resolve, 500));
        const compared = routes.filter((r) => r.tier === "gateway" || r.tier === "blog");
        for (const route of compared) {
            await measure("loopback-nginx", `${nginx.url}${route.path}`, route, podsFor(route, []), rows);
        }
        await nginx.stop();
        nginx = undefined;

        // What would meet the gateway's target: the same pods with a higher CPU limit on the gateway.
        if (deployed && raisedGatewayLimit) {
            const services = localProdOverrides(readProdStackFile().config)["blog:services"] as Record<string, Record<string, unknown>>;
            const gatewayService = services.gateway as { resources: { limits?: Record<string, string> } };
            gatewayService.resources.limits = { ...gatewayService.resources.limits, cpu: raisedGatewayLimit };
            const started = performance.now();
            deployLocalProd("load", { "blog:services": services });
            console.log(`gateway CPU limit raised to ${raisedGatewayLimit} (pulumi up ${fmt((performance.now() - started) / 1000)} s)`);
            gateway = gatewayUrl(namespace);
            gatewayPod = gatewayPodAt(namespace, gateway);
            const raised: Verdict<Row>[] = [];
            for (const route of compared) {
                const where = `gateway-pod-limit-${raisedGatewayLimit}`;
                const atMax = await measure(where, `${gateway}${route.path}`, route, podsFor(route, [gatewayPod]), rows);
                const atRate = await measure(
                    where,
                    `${gateway}${route.path}`,
                    route,
                    podsFor(route, [gatewayPod]),
                    rows,
                    REFERENCE[route.tier].rps,
                );
                raised.push(verdict(route.tier, atRate, atMax));
            }
            printVerdicts(`With the gateway's CPU limit at ${raisedGatewayLimit}:`, raised);
        }
        printVerdicts("The reference's capacity table through one gateway pod, prod's limits:", verdicts);

        const report = {
            date: new Date().toISOString(),
            machine: `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
            durationSeconds: DURATION,
            connections: CONNECTIONS,
            loginMs: logins,
            idleMachineCpus: idle,
            verdicts: verdicts.map(({ tier, p95Target, rpsTarget, met, why }) => ({ tier, p95Target, rpsTarget, met, why })),
            rows,
        };
        const file = path.join(OUT, `${report.date.replace(/[:.]/g, "-")}.json`);
        fs.writeFileSync(file, JSON.stringify(report, null, 2));
        console.log(`report: ${file}`);
    } finally {
        await nginx?.stop();
        destroyProtectedStack(deployed);
    }
}

main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
});
