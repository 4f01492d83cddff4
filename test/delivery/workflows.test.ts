// The GitHub workflows: the real actionlint (with shellcheck on every run: script) finds nothing, and
// the delivery rules hold — previews with the policy pack on PRs, dev then approved prod on main, one
// update per stack at a time, secrets from the repository, actions pinned by version.
import * as assert from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { requireTool } from "../helpers/processes";
import { REPO_ROOT } from "../helpers/stack-config";
import { TOOLS_DIR } from "../helpers/tools-dir";

const WORKFLOWS = path.join(REPO_ROOT, ".github", "workflows");

interface Step {
    name?: string;
    uses?: string;
    run?: string;
    if?: string;
    with?: Record<string, string | number | boolean>;
    env?: Record<string, string>;
}
interface Job {
    needs?: string | string[];
    environment?: string | { name: string };
    concurrency?: { group: string; "cancel-in-progress"?: boolean };
    strategy?: { matrix?: { include?: Record<string, string>[] } };
    env?: Record<string, string>;
    steps: Step[];
}
interface Workflow {
    on: Record<string, unknown>;
    concurrency?: { group: string; "cancel-in-progress"?: boolean };
    jobs: Record<string, Job>;
}

function workflowFiles(): string[] {
    return fs
        .readdirSync(WORKFLOWS)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort();
}

function load(file: string): Workflow {
    return yaml.load(fs.readFileSync(path.join(WORKFLOWS, file), "utf8")) as Workflow;
}

/** The stacks a job works on: its matrix, or its fixed STACK variable. */
function stacksOf(job: Job): string[] {
    return job.strategy?.matrix?.include?.map((entry) => entry.stack) ?? (job.env?.STACK ? [job.env.STACK] : []);
}

function pulumiSteps(job: Job, command?: string): Step[] {
    return job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@") && (command === undefined ? true : s.with?.command === command));
}

interface Finding {
    filepath: string;
    line: number;
    message: string;
    kind: string;
}

/** Runs the real actionlint (the version scripts/toolchain/actionlint.sh pins) with shellcheck. */
function actionlint(cwd: string, files: string[]): { status: number; findings: Finding[] } {
    const binary = path.join(TOOLS_DIR, "bin", "actionlint");
    assert.ok(fs.existsSync(binary), `${binary} is missing: run scripts/toolchain/actionlint.sh`);
    const pinned = /ACTIONLINT_VERSION="\$\{BLOG_ACTIONLINT_VERSION:-(v[\d.]+)\}"/.exec(
        fs.readFileSync(path.join(REPO_ROOT, "scripts", "toolchain", "actionlint.sh"), "utf8"),
    )?.[1];
    const version = spawnSync(binary, ["-version"], { encoding: "utf8" }).stdout.split("\n")[0];
    assert.strictEqual(version, pinned, "the installed actionlint is not the pinned one: run scripts/toolchain/actionlint.sh");
    const shellcheck = requireTool(["shellcheck"], "shellcheck");
    const result = spawnSync(binary, ["-format", "{{json .}}", `-shellcheck=${shellcheck}`, "-pyflakes=", ...files], {
        cwd,
        encoding: "utf8",
    });
    assert.ok(result.status === 0 || result.status === 1, `actionlint failed to run: ${result.stderr}`);
    return { status: result.status ?? -1, findings: JSON.parse(result.stdout || "[]") as Finding[] };
}

describe("GitHub workflows", () => {
    it("pass the pinned actionlint with shellcheck, with no finding at all", function () {
        this.timeout(120_000);
        const { status, findings } = actionlint(
            REPO_ROOT,
            workflowFiles().map((f) => path.join(".github", "workflows", f)),
        );
        assert.deepStrictEqual(
            findings.map((f) => `${f.filepath}:${f.line}: ${f.message} [${f.kind}]`),
            [],
        );
        assert.strictEqual(status, 0);
    });

    it("would be caught by that check with a misspelt pulumi/actions input or an unquoted variable", function () {
        this.timeout(120_000);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "actionlint-"));
        try {
            fs.mkdirSync(path.join(dir, ".github", "workflows"), { recursive: true });
            const broken = fs
                .readFileSync(path.join(WORKFLOWS, "pull-request.yml"), "utf8")
                .replace("policyPackConfigs:", "policyPackConfig:")
                .replace('scripts/pr-check --ci "$STACK"', "scripts/pr-check --ci $STACK");
            fs.writeFileSync(path.join(dir, ".github", "workflows", "broken.yml"), broken);
            const { findings } = actionlint(dir, [path.join(".github", "workflows", "broken.yml")]);
            assert.deepStrictEqual(findings.map((f) => f.kind).sort(), ["action", "shellcheck"]);
            assert.match(
                findings.find((f) => f.kind === "action")!.message,
                /input "policyPackConfig" is not defined in action "pulumi\/actions@v6"/,
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("pin every action to a release tag or a commit, never a branch", () => {
        for (const file of workflowFiles()) {
            for (const [id, job] of Object.entries(load(file).jobs)) {
                for (const step of job.steps.filter((s) => s.uses)) {
                    assert.match(step.uses!, /@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/, `${file} ${id}: ${step.uses}`);
                }
            }
        }
    });

    it("install the same Pulumi CLI version as the @pulumi/pulumi SDK the program uses", () => {
        const sdk = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> })
            .dependencies["@pulumi/pulumi"];
        for (const file of workflowFiles()) {
            for (const [id, job] of Object.entries(load(file).jobs)) {
                const steps = pulumiSteps(job);
                assert.ok(steps.length > 0, `${file} ${id} does not use pulumi/actions`);
                for (const step of steps) {
                    assert.strictEqual(String(step.with?.["pulumi-version"]), sdk, `${file} ${id}: ${step.name ?? step.uses}`);
                }
            }
        }
    });

    it("take the backend URL, the passphrase and the kubeconfigs from repository secrets, and force field ownership", () => {
        for (const file of workflowFiles()) {
            for (const [id, job] of Object.entries(load(file).jobs)) {
                assert.strictEqual(job.env?.PULUMI_BACKEND_URL, "${{ secrets.PULUMI_BACKEND_URL }}", `${file} ${id}`);
                assert.strictEqual(job.env?.PULUMI_CONFIG_PASSPHRASE, "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}", `${file} ${id}`);
                // Previews, drift checks and updates all take back fields kubectl changed, like scripts/pr-check and scripts/drift.
                assert.strictEqual(job.env?.PULUMI_K8S_ENABLE_PATCH_FORCE, "true", `${file} ${id}`);
                for (const step of pulumiSteps(job).filter((s) => s.with?.command)) {
                    assert.strictEqual(step.with?.["cloud-url"], "${{ secrets.PULUMI_BACKEND_URL }}", `${file} ${id}`);
                }
                const kubeconfig = job.steps.find((s) => s.env?.KUBECONFIG_CONTENT);
                assert.match(
                    kubeconfig?.env?.KUBECONFIG_CONTENT ?? "",
                    /^\$\{\{ secrets[.[]/,
                    `${file} ${id}: kubeconfig not from a secret`,
                );
            }
        }
    });

    describe("pull-request.yml", () => {
        const workflow = load("pull-request.yml");
        const job = workflow.jobs.preview;

        it("runs on pull requests to main and supersedes older runs of the same PR", () => {
            assert.deepStrictEqual(workflow.on.pull_request, { branches: ["main"] });
            assert.match(workflow.concurrency?.group ?? "", /github\.event\.pull_request\.number/);
            assert.strictEqual(workflow.concurrency?.["cancel-in-progress"], true);
        });

        it("previews dev and prod with the policy pack and each stack's policy config, commenting on the PR", () => {
            assert.deepStrictEqual(stacksOf(job), ["dev", "prod"]);
            const [preview] = pulumiSteps(job, "preview");
            assert.strictEqual(preview.with?.["stack-name"], "${{ matrix.stack }}");
            assert.strictEqual(preview.with?.policyPacks, "policy");
            assert.strictEqual(preview.with?.policyPackConfigs, "policy/config/${{ matrix.stack }}.json");
            assert.strictEqual(preview.with?.["comment-on-pr"], true);
            for (const stack of stacksOf(job)) {
                assert.ok(
                    fs.existsSync(path.join(REPO_ROOT, "policy", "config", `${stack}.json`)),
                    `policy/config/${stack}.json is missing`,
                );
            }
        });

        it("publishes the policy findings with scripts/pr-check even when the preview failed", () => {
            const check = job.steps.find((s) => s.run?.includes("scripts/pr-check"));
            assert.strictEqual(check?.run?.trim(), 'scripts/pr-check --ci "$STACK"');
            assert.strictEqual(check?.if, "${{ !cancelled() }}");
        });
    });

    describe("deploy.yml", () => {
        const workflow = load("deploy.yml");

        it("runs on pushes to main", () => {
            assert.deepStrictEqual(workflow.on.push, { branches: ["main"] });
        });

        it("updates dev, then prod behind the production environment's approval", () => {
            assert.deepStrictEqual(Object.keys(workflow.jobs), ["dev", "prod"]);
            assert.strictEqual(workflow.jobs.dev.environment, undefined);
            assert.strictEqual(workflow.jobs.prod.needs, "dev");
            assert.strictEqual(workflow.jobs.prod.environment, "production");
        });

        for (const stack of ["dev", "prod"]) {
            it(`runs pulumi up on ${stack} with its policy config, one update of the stack at a time`, () => {
                const job = workflow.jobs[stack];
                const [up] = pulumiSteps(job, "up");
                assert.strictEqual(up.with?.["stack-name"], stack);
                assert.strictEqual(job.env?.STACK, stack);
                assert.strictEqual(up.with?.policyPacks, "policy");
                assert.strictEqual(up.with?.policyPackConfigs, `policy/config/${stack}.json`);
                assert.deepStrictEqual(job.concurrency, { group: `pulumi-up-${stack}`, "cancel-in-progress": false });
            });
        }

        it("uses a concurrency group no other workflow uses, so nothing else can queue against an update", () => {
            for (const file of workflowFiles().filter((f) => f !== "deploy.yml")) {
                const w = load(file);
                const groups = [w.concurrency?.group, ...Object.values(w.jobs).map((j) => j.concurrency?.group)];
                assert.ok(
                    groups.every((g) => !g?.startsWith("pulumi-up-")),
                    `${file} shares a deploy group`,
                );
            }
        });
    });

    describe("drift.yml", () => {
        const workflow = load("drift.yml");

        it("checks dev and prod on a schedule and on demand with scripts/drift", () => {
            assert.ok(Array.isArray(workflow.on.schedule) && "workflow_dispatch" in workflow.on);
            assert.deepStrictEqual(stacksOf(workflow.jobs.drift), ["dev", "prod"]);
            assert.ok(workflow.jobs.drift.steps.some((s) => s.run?.trim() === 'scripts/drift --ci "$STACK"'));
        });
    });
});
