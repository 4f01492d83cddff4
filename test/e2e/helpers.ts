// The end-to-end suites' runners: the real Pulumi CLI and kubectl (harness/cli.ts, shared with the
// benchmarks; environment from scripts/lib/pulumi-env.sh), plus fixtures and waits of their own.
import * as fs from "node:fs";
import * as path from "node:path";
import { E2E_DIR, kubectl } from "../../harness/cli";
import { REPO_ROOT } from "../helpers/stack-config";

export { E2E_DIR, KUBECONFIG, kubectl, pulumi, type Result, requireLocalCluster } from "../../harness/cli";

/** Copies a fixture project under the repo (so it resolves the root node_modules) and returns its path. */
export function stageFixture(name: string): string {
    const target = path.join(E2E_DIR, name);
    fs.rmSync(target, { recursive: true, force: true });
    fs.cpSync(path.join(REPO_ROOT, "test", "e2e", "fixtures", name), target, { recursive: true });
    return target;
}

/** Waits until kubectl reports that a namespace no longer exists. */
export async function namespaceGone(namespace: string, timeoutMs = 120_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (kubectl(["get", "namespace", namespace], { mayFail: true }).status !== 0) {
            return true;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    return false;
}
