// Throw-away stacks made from the committed dev and prod stack files, each in its own namespace.
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { REPO_ROOT } from "../helpers/stack-config";
import { KUBECONFIG, pulumi } from "./helpers";

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
