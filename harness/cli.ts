// Runs the real Pulumi CLI and kubectl against the local cluster (environment from scripts/lib/pulumi-env.sh),
// for the end-to-end suites (test/e2e/helpers.ts re-exports them) and scripts/bench-policy.ts.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./stack-config";

export const KUBECONFIG = path.join(REPO_ROOT, ".cluster", "kubeconfig");
/** Where the end-to-end runs keep their state, the file backend included. */
export const E2E_DIR = path.join(REPO_ROOT, ".state", "e2e");

export interface Result {
    status: number;
    stdout: string;
    stderr: string;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Result {
    fs.mkdirSync(path.join(E2E_DIR, "backend"), { recursive: true });
    const result = spawnSync(command, args, {
        cwd,
        encoding: "utf8",
        env: { ...process.env, KUBECONFIG, PULUMI_BACKEND_URL: `file://${E2E_DIR}/backend`, ...env },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 15 * 60 * 1000,
    });
    return { status: result.status ?? -1, stdout: result.stdout ?? "", stderr: result.stderr ?? String(result.error ?? "") };
}

/** Runs `pulumi ARGS` in a project directory; throws with the CLI's output unless allowed to fail. */
export function pulumi(args: string[], cwd: string, options: { mayFail?: boolean; env?: NodeJS.ProcessEnv } = {}): Result {
    const result = run("pulumi", [...args, "--non-interactive"], cwd, options.env);
    if (!options.mayFail && result.status !== 0) {
        throw new Error(`pulumi ${args.join(" ")} exited ${result.status}\n${result.stdout}\n${result.stderr}`);
    }
    return result;
}

/** Runs `kubectl ARGS` against the local cluster; throws with its error output unless allowed to fail. */
export function kubectl(args: string[], options: { mayFail?: boolean } = {}): Result {
    const result = run("kubectl", args, REPO_ROOT);
    if (!options.mayFail && result.status !== 0) {
        throw new Error(`kubectl ${args.join(" ")} exited ${result.status}\n${result.stderr}`);
    }
    return result;
}

/** Fails unless the local cluster is up and the real toolchain is on PATH. */
export function requireLocalCluster(): void {
    if (!fs.existsSync(KUBECONFIG) || kubectl(["get", "--raw", "/readyz"], { mayFail: true }).stdout.trim() !== "ok") {
        throw new Error("the local cluster is not up: run scripts/cluster up (scripts/test does it for you)");
    }
    const version = run("pulumi", ["version"], REPO_ROOT);
    if (version.status !== 0) {
        throw new Error("the pulumi CLI is not on PATH: run scripts/bootstrap and source scripts/lib/pulumi-env.sh");
    }
}
