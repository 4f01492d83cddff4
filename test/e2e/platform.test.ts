import * as assert from "node:assert";
import { REPO_ROOT } from "../helpers/stack-config";
import { kubectl, namespaceGone, pulumi, requireLocalCluster } from "./helpers";
import { removeStack, stackFrom } from "../../harness/stacks";

function readyWorkloads(namespace: string): void {
    const deployments = JSON.parse(kubectl(["-n", namespace, "get", "deployments", "-o", "json"]).stdout).items;
    assert.strictEqual(deployments.length, 6);
    for (const d of deployments) {
        assert.ok(d.status.readyReplicas >= 1 && d.status.readyReplicas === d.status.replicas, `${d.metadata.name} not ready`);
    }
    const statefulSets = JSON.parse(kubectl(["-n", namespace, "get", "statefulsets", "-o", "json"]).stdout).items;
    assert.strictEqual(statefulSets.length, 2);
    for (const s of statefulSets) {
        assert.strictEqual(s.status.readyReplicas, 1, `${s.metadata.name} not ready`);
    }
}

describe("platform end to end on the local cluster", () => {
    before(requireLocalCluster);

    describe("dev stack", () => {
        let stack: string;
        before(() => (stack = stackFrom("dev", {})));
        after(() => {
            pulumi(["destroy", "--yes", "--stack", stack], REPO_ROOT, { mayFail: true });
            removeStack(stack);
        });

        it("comes up with every workload ready under the provider's await logic", () => {
            pulumi(["up", "--yes", "--stack", stack], REPO_ROOT);
            readyWorkloads("blog-e2e-dev");
            assert.strictEqual(
                kubectl(["-n", "blog-e2e-dev", "get", "pvc", "data-postgres-0", "-o", "jsonpath={.status.phase}"]).stdout,
                "Bound",
            );
        });

        it("keeps generated secrets out of plaintext state and outputs", () => {
            const url = pulumi(["stack", "output", "databaseUrl", "--show-secrets", "--stack", stack], REPO_ROOT).stdout.trim();
            const password = /^postgresql:\/\/blog:([A-Za-z0-9]{32})@/.exec(url)?.[1];
            assert.ok(password, `unexpected databaseUrl shape: ${url.replace(/:[^:@]+@/, ":***@")}`);
            const stored = kubectl([
                "-n",
                "blog-e2e-dev",
                "get",
                "secret",
                "postgres-credentials",
                "-o",
                "jsonpath={.data.password}",
            ]).stdout;
            assert.strictEqual(Buffer.from(stored, "base64").toString(), password, "the Secret holds the generated password");
            const outputs = pulumi(["stack", "output", "--json", "--stack", stack], REPO_ROOT).stdout;
            const state = pulumi(["stack", "export", "--stack", stack], REPO_ROOT).stdout;
            assert.ok(!outputs.includes(password) && !state.includes(password), "the password appears in plaintext");
            const configMaps = kubectl(["-n", "blog-e2e-dev", "get", "configmaps", "-o", "json"]).stdout;
            assert.ok(!configMaps.includes(password));
        });

        it("previews no changes after an up", () => {
            pulumi(["preview", "--expect-no-changes", "--stack", stack], REPO_ROOT);
        });

        it("shows in preview that a claim-template change would replace the database StatefulSet", () => {
            stackFrom("dev", { "blog:postgres": { storageSize: "2Gi" } });
            try {
                const preview = pulumi(["preview", "--diff", "--stack", stack], REPO_ROOT).stdout;
                assert.match(preview, /\+-\s*kubernetes:apps\/v1:StatefulSet: \(replace\)[\s\S]*?\[urn=[^\]]*postgres-statefulset\]/);
            } finally {
                stackFrom("dev", {});
            }
        });

        it("destroys the namespace and everything in it", async () => {
            pulumi(["destroy", "--yes", "--stack", stack], REPO_ROOT);
            assert.ok(await namespaceGone("blog-e2e-dev"));
        });
    });

    describe("bad stack config", () => {
        let stack: string;
        before(() => {
            stack = stackFrom("dev", { "blog:services": { auth: { replicas: -1 } } }).replace(/^/, "");
        });
        after(() => removeStack(stack));

        it("stops before any resource with one clear line and no stack trace, leaving the cluster untouched", () => {
            const result = pulumi(["up", "--yes", "--stack", stack], REPO_ROOT, { mayFail: true });
            const output = result.stdout + result.stderr;
            assert.notStrictEqual(result.status, 0);
            assert.match(
                output,
                new RegExp(
                    String.raw`blog:services\.auth\.replicas must be an integer from 1 to 50 \(got -1\)\. ` +
                        String.raw`Run: pulumi config set --path 'services\.auth\.replicas' 1\.`,
                ),
            );
            assert.doesNotMatch(output, /\n\s+at .+\(.+:\d+:\d+\)/, "a stack trace was printed");
            assert.strictEqual(kubectl(["get", "namespace", "blog-e2e-dev"], { mayFail: true }).status === 0, false);
        });
    });

    describe("prod stack", () => {
        let stack: string;
        // KWOK has no ingress controller or load balancer to fill in an address, so the local run
        // exposes the gateway as ClusterIP; everything else is the committed prod config.
        before(() => (stack = stackFrom("prod", { "blog:gateway": { exposure: "ClusterIP" } })));
        after(async () => {
            pulumi(["state", "unprotect", "--all", "--yes", "--stack", stack], REPO_ROOT, { mayFail: true });
            pulumi(["destroy", "--yes", "--stack", stack], REPO_ROOT, { mayFail: true });
            removeStack(stack);
            kubectl(["delete", "namespace", "blog-e2e-prod", "--ignore-not-found", "--wait=true"], { mayFail: true });
        });

        it("comes up replicated, with autoscalers and disruption budgets", () => {
            pulumi(["up", "--yes", "--stack", stack], REPO_ROOT);
            readyWorkloads("blog-e2e-prod");
            assert.strictEqual(kubectl(["-n", "blog-e2e-prod", "get", "hpa", "-o", "name"]).stdout.trim().split("\n").length, 6);
            assert.strictEqual(kubectl(["-n", "blog-e2e-prod", "get", "pdb", "-o", "name"]).stdout.trim().split("\n").length, 6);
        });

        it("refuses to destroy the protected database", () => {
            const result = pulumi(["destroy", "--yes", "--stack", stack], REPO_ROOT, { mayFail: true });
            assert.notStrictEqual(result.status, 0);
            assert.match(result.stdout + result.stderr, /protected/);
            assert.strictEqual(
                kubectl(["-n", "blog-e2e-prod", "get", "statefulset", "postgres", "-o", "name"]).stdout.trim(),
                "statefulset.apps/postgres",
            );
        });

        it("keeps the data after an explicit unprotect and destroy (retainOnDelete)", () => {
            pulumi(["state", "unprotect", "--all", "--yes", "--stack", stack], REPO_ROOT);
            pulumi(["destroy", "--yes", "--stack", stack], REPO_ROOT);
            assert.strictEqual(
                kubectl(["-n", "blog-e2e-prod", "get", "pvc", "data-postgres-0", "-o", "jsonpath={.status.phase}"]).stdout,
                "Bound",
            );
        });
    });
});
