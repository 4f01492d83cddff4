import * as assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../helpers/stack-config";
import { kubectl, namespaceGone, pulumi, requireLocalCluster, stageFixture } from "./helpers";

/** On the real node: the local registry's images (by digest) instead of public ones. */
function realNodeImages(project: string): void {
    const mode = path.join(REPO_ROOT, ".cluster", "mode");
    if (!fs.existsSync(mode) || fs.readFileSync(mode, "utf8").trim() !== "real_node") {
        return;
    }
    const images = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, ".cluster", "node", "images.json"), "utf8"));
    pulumi(["config", "set", "webImage", images.testserver, "--stack", "e2e"], project);
    pulumi(["config", "set", "dbImage", images.busybox, "--stack", "e2e"], project);
    pulumi(["config", "set", "dbCommand", "/bin/busybox sleep 3600", "--stack", "e2e"], project);
}

describe("toolchain end to end (real CLI, providers and local cluster)", () => {
    let project: string;
    before(() => {
        requireLocalCluster();
        project = stageFixture("basic");
        pulumi(["stack", "init", "e2e", "--secrets-provider", "passphrase"], project);
        realNodeImages(project);
    });
    after(() => {
        pulumi(["destroy", "--yes", "--stack", "e2e"], project, { mayFail: true });
        pulumi(["stack", "rm", "--yes", "--force", "e2e"], project, { mayFail: true });
    });

    it("deploys a Deployment, a StatefulSet with a claim and a generated Secret, awaiting readiness", () => {
        const up = pulumi(["up", "--yes", "--stack", "e2e"], project);
        assert.match(up.stdout, /Resources:\s+\+ 8 created/);
        assert.strictEqual(kubectl(["-n", "e2e-basic", "get", "deployment", "web", "-o", "jsonpath={.status.readyReplicas}"]).stdout, "2");
        assert.strictEqual(kubectl(["-n", "e2e-basic", "get", "statefulset", "db", "-o", "jsonpath={.status.readyReplicas}"]).stdout, "1");
        assert.strictEqual(kubectl(["-n", "e2e-basic", "get", "pvc", "data-db-0", "-o", "jsonpath={.status.phase}"]).stdout, "Bound");
        const endpoints = kubectl(["-n", "e2e-basic", "get", "endpoints", "web", "-o", "jsonpath={.subsets[*].addresses[*].ip}"]).stdout;
        assert.strictEqual(endpoints.split(" ").filter(Boolean).length, 2, `endpoints: ${endpoints}`);
    });

    it("stores the generated password in the Secret and only encrypted in the state", () => {
        const password = pulumi(["stack", "output", "passwordValue", "--show-secrets", "--stack", "e2e"], project).stdout.trim();
        assert.match(password, /^[A-Za-z0-9]{24}$/);
        const stored = kubectl(["-n", "e2e-basic", "get", "secret", "db", "-o", "jsonpath={.data.password}"]).stdout;
        assert.strictEqual(Buffer.from(stored, "base64").toString(), password);
        const state = pulumi(["stack", "export", "--stack", "e2e"], project).stdout;
        assert.ok(!state.includes(password), "the password appears in plaintext in the state");
        assert.ok(state.includes("ciphertext"));
    });

    it("shows no changes on a second preview", () => {
        pulumi(["preview", "--expect-no-changes", "--stack", "e2e"], project);
    });

    it("destroys everything, and kubectl finds nothing left", async () => {
        pulumi(["destroy", "--yes", "--stack", "e2e"], project);
        assert.ok(await namespaceGone("e2e-basic"), "namespace e2e-basic still exists");
        const leftovers = kubectl([
            "get",
            "deployments,statefulsets,services,secrets,pvc",
            "--all-namespaces",
            "-l",
            "app in (web,db)",
            "-o",
            "name",
        ]).stdout.trim();
        assert.strictEqual(leftovers, "");
    });
});
