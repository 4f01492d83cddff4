// Availability on the real node, with a dev stack made to run blog as two autoscaled replicas: its
// PodDisruptionBudget refuses the eviction that would break it, a rolling update under steady load drops
// no request, a Postgres restart under load costs no 502 (cached reads keep working, reads that need the
// database get the service's own 503), and its HorizontalPodAutoscaler scales up under load and back down.
import * as assert from "node:assert";
import { kubectl } from "../helpers";
import { BlogClient, gatewayUrl } from "../../../harness/blog-client";
import { isReady, servingPods } from "../../../harness/kube";
import { type DeployedStack, deployStack, destroyStack } from "../../../harness/stacks";
import { evictPod, kubectlAsync, steadyLoad, waitForGatewayRoutes } from "./platform";

/** Seconds the HPA waits at a lower recommendation before removing pods (Kubernetes' default is 300). */
const SCALE_DOWN_WINDOW_SECONDS = 20;

/**
 * dev with autoscaling (so every service gets an HPA and blog a PDB), without monitoring to leave CPU for
 * the extra pods, and blog at two to four replicas of 100m each: the node has 2 CPUs allocatable.
 */
const OVERRIDES = {
    "blog:autoscaling": "true",
    "blog:monitoring": { enabled: false },
    "blog:services": {
        blog: {
            replicas: 2,
            minReplicas: 2,
            maxReplicas: 4,
            scaleDownStabilizationSeconds: SCALE_DOWN_WINDOW_SECONDS,
            resources: { requests: { cpu: "100m" } },
        },
    },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("availability of a replicated service on the real node", function () {
    this.timeout(15 * 60 * 1000);
    let deployed: DeployedStack | undefined;
    let namespace: string;
    let route: string;
    let postId: number;

    const blogPods = () => servingPods(namespace).filter((pod) => pod.metadata.labels?.["app.kubernetes.io/name"] === "blog");
    const hpaReplicas = () => {
        const hpa = JSON.parse(kubectl(["-n", namespace, "get", "hpa", "blog", "-o", "json"]).stdout) as {
            status: {
                currentReplicas?: number;
                desiredReplicas?: number;
                currentMetrics?: { resource?: { name: string; current: { averageUtilization?: number } } }[];
            };
        };
        const cpu = hpa.status.currentMetrics?.find((m) => m.resource?.name === "cpu")?.resource?.current.averageUtilization;
        return { current: hpa.status.currentReplicas ?? 0, desired: hpa.status.desiredReplicas ?? 0, cpu };
    };
    const waitRolledOut = () => kubectl(["-n", namespace, "rollout", "status", "deployment/blog", "--timeout=180s"]);

    after(() => destroyStack(deployed));

    it("deploys blog as two replicas with a disruption budget and an autoscaler", async () => {
        deployed = deployStack("dev", "availability", OVERRIDES);
        namespace = deployed.namespace;
        console.log(`      pulumi up: ${deployed.upSeconds.toFixed(1)} s`);
        // The Deployment leaves its replica count to the HPA, so it starts at one pod and the HPA raises
        // it to minReplicas on its first sync, after pulumi up has returned.
        const started = Date.now();
        while (blogPods().filter(isReady).length < OVERRIDES["blog:services"].blog.minReplicas && Date.now() - started < 120_000) {
            await sleep(1000);
        }
        console.log(`      blog at minReplicas ${((Date.now() - started) / 1000).toFixed(0)} s after pulumi up returned`);
        assert.strictEqual(blogPods().filter(isReady).length, 2);
        await waitForGatewayRoutes(namespace, "both blog pods were Ready");
        const client = new BlogClient(gatewayUrl(namespace));
        await client.signUp("steady");
        // A pod can be Ready a moment before the node's NetworkPolicy agent (kube-router) admits the gateway
        // to it: a POST routed there then gets 502, which nginx does not retry (one CI run in three saw it
        // on this first write). Wait for the first write, and print how long the platform took to settle.
        const post = { title: "Still here", body: "Served through every disruption." };
        const settling = Date.now();
        let reply = await client.call("POST", "/api/posts/", post);
        let refused = 0;
        while (reply.status === 502 && Date.now() - settling < 60_000) {
            refused++;
            await sleep(1000);
            reply = await client.call("POST", "/api/posts/", post);
        }
        console.log(
            `      first write accepted ${((Date.now() - settling) / 1000).toFixed(1)} s after both pods were Ready (${refused} 502s)`,
        );
        assert.strictEqual(reply.status, 201, reply.body.toString());
        route = `${client.baseUrl}/api/posts/`;
        postId = (JSON.parse(reply.body.toString()) as { id: number }).id;
        await client.expect(201, "POST", "/api/comments/", { postId, body: "Read through a database restart." });
    });

    it("refuses an eviction that would break the PodDisruptionBudget and allows one that would not", () => {
        assert.ok(deployed, "the stack did not deploy");
        kubectl(["-n", namespace, "wait", "pdb/blog", "--for=jsonpath={.status.disruptionsAllowed}=1", "--timeout=60s"]);
        const [first, second] = blogPods()
            .filter(isReady)
            .map((pod) => pod.metadata.name);
        const allowed = evictPod(namespace, first);
        const refused = evictPod(namespace, second);
        console.log(`      evict ${first}: ${allowed.allowed ? "allowed" : allowed.message}`);
        console.log(`      evict ${second} right after: ${refused.allowed ? "allowed" : refused.message}`);
        assert.ok(allowed.allowed, `the first eviction was refused: ${allowed.message}`);
        assert.ok(!refused.allowed, "the second eviction was allowed although the budget had no disruption left");
        assert.match(refused.message, /TooManyRequests|429/);
        assert.match(refused.message, /disruption budget/);
        waitRolledOut();
    });

    it("drops no request while a rolling update replaces every pod under steady load", async () => {
        assert.ok(route, "the stack did not deploy");
        kubectl(["-n", namespace, "wait", "pdb/blog", "--for=jsonpath={.status.currentHealthy}=2", "--timeout=120s"]);
        const before = blogPods().map((pod) => pod.metadata.name);
        const started = Date.now();
        // Until the rollout is complete and the old pods have finished draining (preStop and shutdown).
        const rollout = (async () => {
            await sleep(2000);
            await kubectlAsync(["-n", namespace, "rollout", "restart", "deployment/blog"]);
            await kubectlAsync(["-n", namespace, "rollout", "status", "deployment/blog", "--timeout=180s"]);
            const rolledOut = (Date.now() - started) / 1000;
            while (blogPods().some((pod) => before.includes(pod.metadata.name))) {
                await sleep(1000);
            }
            await sleep(2000);
            return rolledOut;
        })();
        const report = await steadyLoad(route, rollout, { concurrency: 2, pauseMs: 25 });
        const after = blogPods().map((pod) => pod.metadata.name);
        console.log(
            `      rolling update under load: ${report.requests} requests in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
                `(${report.rate.toFixed(0)}/s), rollout done at ${(await rollout).toFixed(1)} s, failures: ${report.failures}` +
                (report.failures > 0 ? ` ${JSON.stringify(report.causes)}` : ""),
        );
        assert.ok(!after.some((name) => before.includes(name)), "the rollout did not replace every pod");
        assert.ok(report.requests > 100, `only ${report.requests} requests were sent`);
        assert.strictEqual(report.failures, 0, `failed requests: ${JSON.stringify(report.causes)}`);
    });

    it("answers every request through a Postgres restart: the cache or the service's own 503, never a 502 or a timeout", async () => {
        assert.ok(route, "the stack did not deploy");
        const base = route.replace(/\/api\/posts\/$/, "");
        // The front page comes from Redis; a post's comments need PostgreSQL on every request.
        const urls = { cached: `${base}/api/posts/`, database: `${base}/api/comments/?postId=${postId}` };
        // A new post bumps the list's cache generation, so the read below caches a page with its full TTL
        // (300 s): it cannot expire during the restart and turn the cached route into a database one.
        const writer = new BlogClient(gatewayUrl(namespace));
        await writer.signUp("restart");
        await writer.expect(201, "POST", "/api/posts/", { title: "Before the restart", body: "Cached." });
        assert.strictEqual((await fetch(urls.cached)).status, 200);
        const podUid = () => kubectl(["-n", namespace, "get", "pod", "postgres-0", "-o", "jsonpath={.metadata.uid}"]).stdout;
        const before = podUid();
        const started = Date.now();
        const restart = (async () => {
            await sleep(2000);
            await kubectlAsync(["-n", namespace, "delete", "pod", "postgres-0", "--wait=true", "--timeout=120s"]);
            await kubectlAsync(["-n", namespace, "wait", "pod/postgres-0", "--for=condition=Ready", "--timeout=180s"]);
            const ready = (Date.now() - started) / 1000;
            // Until the services' pools have reconnected and answered again.
            await sleep(5000);
            return ready;
        })();
        const seen: Record<string, Record<string, number>> = { cached: {}, database: {} };
        const unexpected: string[] = [];
        let stopped = false;
        void restart.finally(() => {
            stopped = true;
        });
        const loop = async (kind: keyof typeof urls) => {
            while (!stopped) {
                let outcome: string;
                try {
                    const response = await fetch(urls[kind], { signal: AbortSignal.timeout(10_000) });
                    const body = await response.text();
                    outcome = `HTTP ${response.status}`;
                    // A 503 must be the service's own answer: JSON naming the error, with when to retry.
                    if (response.status === 503 && !(response.headers.get("retry-after") && /"error"/.test(body))) {
                        unexpected.push(`${kind}: a 503 that is not the service's: ${body.slice(0, 120)}`);
                    }
                } catch (error) {
                    outcome = (error as Error).name === "TimeoutError" ? "timeout" : (error as Error).message;
                }
                seen[kind][outcome] = (seen[kind][outcome] ?? 0) + 1;
                await sleep(20);
            }
        };
        await Promise.all([loop("cached"), loop("cached"), loop("database"), loop("database"), restart]);
        const readyAfter = await restart;
        console.log(
            `      Postgres deleted at 2 s, Ready again at ${readyAfter.toFixed(1)} s; ` +
                `front page (Redis) ${JSON.stringify(seen.cached)}, comments (PostgreSQL) ${JSON.stringify(seen.database)}`,
        );
        assert.notStrictEqual(podUid(), before, "the Postgres pod was not recreated");
        const total = (kind: keyof typeof urls) => Object.values(seen[kind]).reduce((a, b) => a + b, 0);
        assert.ok(total("cached") > 100 && total("database") > 100, "too few requests to tell");
        assert.deepStrictEqual(Object.keys(seen.cached), ["HTTP 200"], "the cached front page failed while Postgres restarted");
        const databaseOutcomes = Object.keys(seen.database).filter((outcome) => outcome !== "HTTP 200" && outcome !== "HTTP 503");
        assert.deepStrictEqual(databaseOutcomes, [], "a request that needs Postgres got something else than a 200 or the service's 503");
        assert.deepStrictEqual(unexpected, []);
    });

    it("scales up under load and back down after the scale-down window", async () => {
        assert.ok(route, "the stack did not deploy");
        const minimum = OVERRIDES["blog:services"].blog.minReplicas;
        const started = Date.now();
        const timeline: string[] = [];
        let last = "";
        // Each change of the HPA's current or desired count, with the CPU utilization it saw then.
        const note = () => {
            const { current, desired, cpu } = hpaReplicas();
            if (`${current}→${desired}` !== last) {
                last = `${current}→${desired}`;
                const utilization = cpu === undefined ? "not measured yet" : `${cpu} %`;
                timeline.push(`${((Date.now() - started) / 1000).toFixed(0)} s ${last} (cpu ${utilization})`);
            }
            return current;
        };
        // Load until the HPA has added a pod (or three minutes pass).
        let peak = note();
        const scaledUp = (async () => {
            const deadline = Date.now() + 180_000;
            while (Date.now() < deadline && peak <= minimum) {
                await sleep(5000);
                peak = Math.max(peak, note());
            }
        })();
        const load = await steadyLoad(route, scaledUp, { concurrency: 12 });
        const loadSeconds = (Date.now() - started) / 1000;
        // Then quiet until it is back at its minimum.
        const deadline = Date.now() + 240_000;
        let current = note();
        while (Date.now() < deadline && current > minimum) {
            await sleep(5000);
            current = note();
        }
        const downSeconds = (Date.now() - started) / 1000 - loadSeconds;
        console.log(
            `      load: ${load.requests} requests (${load.rate.toFixed(0)}/s, ${load.failures} failed) for ${loadSeconds.toFixed(0)} s`,
        );
        console.log(`      replicas current→desired over time: ${timeline.join(", ")}`);
        console.log(`      scaled up to ${peak}; back to ${current} ${downSeconds.toFixed(0)} s after the load stopped`);
        assert.ok(peak > minimum, `the HPA did not scale up under load (stayed at ${peak})`);
        assert.strictEqual(current, minimum, "the HPA did not scale back down after the load stopped");
        waitRolledOut();
    });
});
