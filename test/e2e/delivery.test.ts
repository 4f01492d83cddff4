// scripts/pr-check and scripts/drift for real: the CLI, the policy pack and the local cluster, on
// throw-away copies of the committed stacks, each in its own namespace and on the e2e backend.
import * as assert from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import type { CheckReport } from "../../delivery/summary";
import { REPO_ROOT } from "../helpers/stack-config";
import { E2E_DIR, kubectl, KUBECONFIG, namespaceGone, pulumi, requireLocalCluster } from "./helpers";

/** A copy of a committed stack named `e2e-delivery-<name>`, in namespace `blog-e2e-delivery-<name>`. */
function stackFrom(base: "dev" | "prod", name: string, overrides: Record<string, unknown> = {}): string {
    const stack = `e2e-delivery-${name}`;
    const file = yaml.load(fs.readFileSync(path.join(REPO_ROOT, `Pulumi.${base}.yaml`), "utf8")) as { config: Record<string, unknown> };
    const config = { ...file.config, "blog:namespace": `blog-${stack}`, "blog:kubeconfig": KUBECONFIG, ...overrides };
    fs.writeFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), yaml.dump({ config }));
    pulumi(["stack", "init", stack, "--secrets-provider", "passphrase"], REPO_ROOT, { mayFail: true });
    return stack;
}

function removeStack(stack: string): void {
    pulumi(["stack", "rm", "--yes", "--force", stack], REPO_ROOT, { mayFail: true });
    fs.rmSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), { force: true });
}

interface ScriptRun {
    status: number;
    output: string;
    report: CheckReport;
}

/** Runs scripts/pr-check or scripts/drift the way a developer does, on the e2e backend. */
function script(name: "pr-check" | "drift", stacks: string[]): ScriptRun {
    const dir = path.join(E2E_DIR, name);
    const result = spawnSync(path.join(REPO_ROOT, "scripts", name), stacks, {
        cwd: REPO_ROOT,
        encoding: "utf8",
        env: {
            ...process.env,
            KUBECONFIG,
            PULUMI_BACKEND_URL: `file://${E2E_DIR}/backend`,
            BLOG_PR_CHECK_DIR: dir,
            BLOG_DRIFT_DIR: dir,
        },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 20 * 60 * 1000,
    });
    const output = `${result.stdout}\n${result.stderr}`;
    const reportFile = path.join(dir, "report.json");
    assert.ok(fs.existsSync(reportFile), `scripts/${name} wrote no report (exit ${result.status}):\n${output}`);
    assert.ok(result.stdout.includes(`report: ${reportFile}`), "the report's path is printed");
    return { status: result.status ?? -1, output, report: JSON.parse(fs.readFileSync(reportFile, "utf8")) as CheckReport };
}

describe("delivery end to end on the local cluster", () => {
    before(requireLocalCluster);

    describe("scripts/pr-check", () => {
        const stacks: string[] = [];
        after(() => stacks.forEach(removeStack));

        it("passes on copies of dev and prod, with each stack's changes and no mandatory violation", () => {
            stacks.push(stackFrom("dev", "dev"), stackFrom("prod", "prod"));
            const run = script("pr-check", stacks);
            assert.strictEqual(run.status, 0, run.output);
            assert.match(run.output, /^pr-check: passed \(e2e-delivery-dev, e2e-delivery-prod\)$/m);
            assert.strictEqual(run.report.passed, true);
            for (const summary of run.report.stacks) {
                assert.deepStrictEqual(summary.errors, [], `${summary.stack}: ${summary.errors.join("\n")}`);
                assert.ok(summary.changes.create > 10, `${summary.stack} previews the whole platform as creates`);
                assert.deepStrictEqual(
                    summary.findings.filter((f) => f.enforcement === "mandatory"),
                    [],
                );
            }
        });

        it("fails on a change that pulls images from an unapproved registry, naming the rule and the resources", () => {
            // Without the image lock, the services' images come from imageRegistry/imageTag.
            const broken = stackFrom("dev", "broken", {
                "blog:imageLock": "",
                "blog:imageRegistry": "ghcr.io/someone-else",
                "blog:imageTag": "1.4.2",
            });
            stacks.push(broken);
            const run = script("pr-check", [broken]);
            assert.strictEqual(run.status, 1, run.output);
            assert.match(run.output, /✗ e2e-delivery-broken: mandatory policy allowed-registries violated by Deployment \S+/);
            assert.match(run.output, /\[mandatory\] allowed-registries: /);
            assert.match(run.output, /ghcr\.io\/someone-else/);
            const rules = new Set(run.report.stacks[0].findings.filter((f) => f.enforcement === "mandatory").map((f) => f.policy));
            assert.deepStrictEqual([...rules], ["allowed-registries"]);
            assert.strictEqual(
                kubectl(["get", "namespace", `blog-${broken}`], { mayFail: true }).status === 0,
                false,
                "a preview creates nothing",
            );
        });
    });

    describe("scripts/drift", () => {
        let stack: string;
        const namespace = "blog-e2e-delivery-drift";
        before(() => {
            stack = stackFrom("dev", "drift");
            pulumi(["up", "--yes", "--stack", stack], REPO_ROOT);
        });
        after(async () => {
            pulumi(["destroy", "--yes", "--stack", stack], REPO_ROOT, { mayFail: true });
            removeStack(stack);
            await namespaceGone(namespace);
        });

        it("finds no drift right after an up", () => {
            const run = script("drift", [stack]);
            assert.strictEqual(run.status, 0, run.output);
            assert.match(run.output, /^drift: passed \(e2e-delivery-drift\)$/m);
        });

        it("reports a Deployment scaled with kubectl behind Pulumi's back, and fails", () => {
            kubectl(["-n", namespace, "scale", "deployment", "frontend", "--replicas=3"]);
            const run = script("drift", [stack]);
            assert.strictEqual(run.status, 1, run.output);
            assert.match(run.output, /✗ e2e-delivery-drift: drift on \d+ resources?: .*update Deployment frontend/);
            assert.match(run.output, /update {3}Deployment frontend-deployment \(spec\.replicas\)/);
            assert.deepStrictEqual(run.report.stacks[0].errors, [], "the kubectl-owned field shows as drift, not as an apply conflict");
            const changed = run.report.stacks[0].changed.map((c) => `${c.op} ${c.resource.kind} ${c.resource.name} ${c.properties}`);
            assert.ok(
                changed.some((c) => /^update Deployment frontend\S* spec\.replicas$/.test(c)),
                changed.join("\n"),
            );
        });

        it("finds no drift once pulumi up --refresh, as deploy.yml runs it, put the Deployment back", () => {
            pulumi(["up", "--yes", "--refresh", "--stack", stack], REPO_ROOT, { env: { PULUMI_K8S_ENABLE_PATCH_FORCE: "true" } });
            assert.strictEqual(kubectl(["-n", namespace, "get", "deployment", "frontend", "-o", "jsonpath={.spec.replicas}"]).stdout, "1");
            assert.strictEqual(script("drift", [stack]).status, 0);
        });
    });
});
