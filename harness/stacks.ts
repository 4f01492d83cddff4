// Throw-away stacks made from the committed dev and prod stack files, each in its own namespace: written,
// deployed with the real CLI, destroyed (the end-to-end suites and scripts/bench-load.ts).
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { localProdOverrides, readProdStackFile } from "../scripts/lib/local-prod";
import { KUBECONFIG, kubectl, pulumi, requireLocalCluster } from "./cli";
import { REPO_ROOT } from "./stack-config";

/**
 * Writes Pulumi.<stack>.yaml for a throw-away copy of a committed stack, in its own namespace so it
 * never touches what scripts/deploy-local deployed. `name` (default: the base) makes the stack `e2e-<name>` in
 * namespace `blog-e2e-<name>`, so suites that each deploy a copy never share one. Returns the stack name.
 */
export function stackFrom(base: "dev" | "prod", overrides: Record<string, unknown>, name: string = base): string {
    const stack = `e2e-${name}`;
    const file = yaml.load(fs.readFileSync(path.join(REPO_ROOT, `Pulumi.${base}.yaml`), "utf8")) as { config: Record<string, unknown> };
    const config = { ...file.config, "blog:namespace": `blog-${stack}`, "blog:kubeconfig": KUBECONFIG, ...overrides };
    fs.writeFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), yaml.dump({ config }));
    pulumi(["stack", "init", stack, "--secrets-provider", "passphrase"], REPO_ROOT, { mayFail: true });
    return stack;
}

export function removeStack(stack: string): void {
    pulumi(["stack", "rm", "--yes", "--force", stack], REPO_ROOT, { mayFail: true });
    fs.rmSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), { force: true });
}

export interface DeployedStack {
    stack: string;
    namespace: string;
    /** Seconds `pulumi up` took. */
    upSeconds: number;
}

/** `pulumi up` of a throw-away copy of the dev or prod stack (`e2e-<name>` in namespace `blog-e2e-<name>`). */
export function deployStack(base: "dev" | "prod", name: string, overrides: Record<string, unknown> = {}): DeployedStack {
    requireLocalCluster();
    const stack = stackFrom(base, overrides, name);
    const started = Date.now();
    pulumi(["up", "--yes", "--skip-preview", "--stack", stack], REPO_ROOT);
    return { stack, namespace: `blog-${stack}`, upSeconds: (Date.now() - started) / 1000 };
}

/** Destroys what deployStack made and forgets the stack; never fails (an after() hook calls it). */
export function destroyStack(deployed: { stack: string } | undefined): void {
    if (!deployed) {
        return;
    }
    pulumi(["destroy", "--yes", "--skip-preview", "--stack", deployed.stack], REPO_ROOT, { mayFail: true });
    removeStack(deployed.stack);
}

/** `pulumi up` of a copy of prod with the local overrides of scripts/lib/local-prod.ts (and any `extra`). */
export function deployLocalProd(name: string, extra: Record<string, unknown> = {}): DeployedStack {
    const overrides = localProdOverrides(readProdStackFile().config, path.join(REPO_ROOT, ".state", "images.json"));
    return deployStack("prod", name, { ...overrides, ...extra });
}

/**
 * Destroys a prod copy, whose data protection refuses a plain destroy and retains the namespace, the
 * database and its claims: unprotect, destroy, then delete what was retained. Never fails (after() calls it).
 */
export function destroyProtectedStack(deployed: DeployedStack | undefined): void {
    if (!deployed) {
        return;
    }
    pulumi(["state", "unprotect", "--all", "--yes", "--stack", deployed.stack], REPO_ROOT, { mayFail: true });
    destroyStack(deployed);
    kubectl(["delete", "namespace", deployed.namespace, `${deployed.namespace}-monitoring`, "--ignore-not-found", "--wait=true"], {
        mayFail: true,
    });
}
