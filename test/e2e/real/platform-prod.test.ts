// The prod stack on the real node, with the local overrides scripts/deploy-local prod applies: `pulumi up`
// ends with every pod Ready at prod's replica counts, the blog answers through its Ingress on the node's
// Traefik, a no-op `pulumi up` is timed against a no-op `pulumi preview` (measured, not asserted), and it
// goes down the way docs/destroy.md says: refused while protected, then the data kept until deleted by hand.
import * as assert from "node:assert";
import { performance } from "node:perf_hooks";
import { readProdStackFile } from "../../../scripts/lib/local-prod";
import { REPO_ROOT } from "../../helpers/stack-config";
import { kubectl, namespaceGone, pulumi } from "../helpers";
import { isReady, servingPods } from "../../../harness/kube";
import { type DeployedStack, deployLocalProd, destroyProtectedStack } from "../../../harness/stacks";
import { ingressGet } from "./platform";
import { assertPublicSurface } from "./public-surface";

const prod = readProdStackFile().config;
const host = (prod["blog:gateway"] as { domain: string }).domain;

/** Seconds a CLI command takes; `--expect-no-changes` makes it fail unless it really is a no-op. */
function timed(args: string[], stack: string): number {
    const started = performance.now();
    pulumi([...args, "--expect-no-changes", "--stack", stack], REPO_ROOT);
    return (performance.now() - started) / 1000;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe("the prod stack on the real node (local overrides)", function () {
    this.timeout(20 * 60 * 1000);
    let deployed: DeployedStack;

    after(() => destroyProtectedStack(deployed));

    it("comes up with every pod Running and Ready, at prod's replica counts", () => {
        deployed = deployLocalProd("prod");
        console.log(`      pulumi up, empty to all Ready: ${deployed.upSeconds.toFixed(1)} s`);
        const serving = servingPods(deployed.namespace);
        assert.deepStrictEqual(
            serving.filter((pod) => !isReady(pod)).map((pod) => pod.metadata.name),
            [],
        );
        const replicas = prod["blog:services"] as Record<string, { replicas: number }>;
        for (const [name, service] of Object.entries(replicas)) {
            const pods = serving.filter((pod) => pod.metadata.labels?.["app.kubernetes.io/name"] === name);
            assert.strictEqual(pods.length, service.replicas, `${name}: ${pods.map((pod) => pod.metadata.name).join(", ")}`);
        }
        for (const store of ["postgres-0", "redis-0"]) {
            assert.ok(
                serving.some((pod) => pod.metadata.name === store),
                `no ${store}`,
            );
        }
        const monitoring = servingPods(`${deployed.namespace}-monitoring`);
        assert.ok(monitoring.length > 0 && monitoring.every(isReady), monitoring.map((pod) => pod.metadata.name).join(", "));
    });

    it("serves the blog through its Ingress on the node's Traefik (127.0.0.1:18080) for the prod host", async () => {
        assert.ok(deployed, "the stack did not come up");
        const jsonpath = "jsonpath={.items[*].status.loadBalancer.ingress[*].ip}";
        const address = kubectl(["-n", deployed.namespace, "get", "ingress", "-o", jsonpath]).stdout;
        assert.strictEqual(address, "127.0.0.1");
        const spa = await ingressGet("/", host);
        assert.strictEqual(spa.status, 200, spa.body.toString());
        assert.match(spa.body.toString(), /<div id="root">|<script/);
        const posts = await ingressGet("/api/posts/", host);
        assert.strictEqual(posts.status, 200, posts.body.toString());
        assert.match(posts.type, /json/);
        // Traefik routes by host: another host reaches nothing of the blog's.
        assert.strictEqual((await ingressGet("/", "not-the-blog.example.com")).status, 404);
    });

    it("serves no internal endpoint through its Ingress: each probe and metrics path is a 404 there, a 200 on its pod", async () => {
        assert.ok(deployed, "the stack did not come up");
        await assertPublicSurface(deployed.namespace, "Ingress", (path) => ingressGet(path, host));
    });

    it("measures a no-op pulumi up against a no-op pulumi preview (target: up ≤ 1.1x preview)", () => {
        assert.ok(deployed, "the stack did not come up");
        const previews: number[] = [];
        const ups: number[] = [];
        for (let pair = 0; pair < 3; pair++) {
            previews.push(timed(["preview"], deployed.stack));
            ups.push(timed(["up", "--yes", "--skip-preview"], deployed.stack));
        }
        const [preview, up] = [median(previews), median(ups)];
        console.log(`      no-op preview: ${previews.map((s) => s.toFixed(1)).join(", ")} s (median ${preview.toFixed(1)})`);
        console.log(`      no-op up --skip-preview: ${ups.map((s) => s.toFixed(1)).join(", ")} s (median ${up.toFixed(1)})`);
        console.log(`      ratio up/preview: ${(up / preview).toFixed(2)} (target ≤ 1.1)`);
    });

    it("goes down as docs/destroy.md says: refused while protected, then the database's claims kept until deleted", async () => {
        assert.ok(deployed, "the stack did not come up");
        const ns = deployed.namespace;
        const refused = pulumi(["destroy", "--yes", "--skip-preview", "--stack", deployed.stack], REPO_ROOT, { mayFail: true });
        assert.notStrictEqual(refused.status, 0, "a destroy of a protected stack succeeded");
        assert.match(refused.stdout + refused.stderr, /protect/i, "the refusal does not say the resources are protected");
        assert.strictEqual(
            kubectl(["-n", ns, "get", "statefulset", "postgres"], { mayFail: true }).status,
            0,
            "the refused destroy deleted the database",
        );

        pulumi(["state", "unprotect", "--all", "--yes", "--stack", deployed.stack], REPO_ROOT);
        pulumi(["destroy", "--yes", "--skip-preview", "--stack", deployed.stack], REPO_ROOT);
        const claims = kubectl([
            "-n",
            ns,
            "get",
            "pvc",
            "-o",
            "jsonpath={range .items[*]}{.metadata.name}={.status.phase} {end}",
        ]).stdout.trim();
        const kept = {
            statefulSet: kubectl(["-n", ns, "get", "statefulset", "postgres"], { mayFail: true }).status === 0,
            deployments: kubectl(["-n", ns, "get", "deployments", "-o", "name"]).stdout.trim(),
            claims,
        };
        console.log(`      after unprotect and destroy, ${ns} keeps: ${JSON.stringify(kept)}`);
        assert.ok(kept.statefulSet, "the database's StatefulSet was not retained");
        assert.match(claims, /data-postgres-0=Bound/, "the database's claim was not kept bound");
        assert.strictEqual(kept.deployments, "", "the services were not destroyed");
        assert.ok(await namespaceGone(`${ns}-monitoring`), "the monitoring namespace (not protected) was not deleted");

        // The explicit step that deletes the data, and with local-path's reclaimPolicy Delete, its volumes.
        const volumes = () =>
            kubectl([
                "get",
                "pv",
                "-o",
                `jsonpath={range .items[?(@.spec.claimRef.namespace=="${ns}")]}{.metadata.name} {end}`,
            ]).stdout.trim();
        assert.notStrictEqual(volumes(), "", "no volume was bound to the namespace's claims");
        kubectl(["delete", "namespace", ns, "--wait=true", "--timeout=180s"]);
        assert.ok(await namespaceGone(ns), `${ns} is still there`);
        const deadline = Date.now() + 120_000;
        while (volumes() !== "" && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 2000));
        }
        assert.strictEqual(volumes(), "", "the claims' volumes outlived the namespace on a reclaimPolicy Delete class");
    });
});
