// The adopter's example (examples/two-services): where it lives, and the policy config it is checked with,
// policy/config/baseline.json with the example's own settings (policy-config.json) laid over it per policy.
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { REPO_ROOT } from "./stack-config";

export const EXAMPLE_DIR = path.join(REPO_ROOT, "examples", "two-services");
export const BASELINE_CONFIG = path.join(REPO_ROOT, "policy", "config", "baseline.json");

const readJson = (file: string): Record<string, unknown> => JSON.parse(fs.readFileSync(file, "utf8"));

/** baseline.json with each policy the example's policy-config.json names replaced by its entry there. */
export function examplePolicyConfig(): Record<string, unknown> {
    return { ...readJson(BASELINE_CONFIG), ...readJson(path.join(EXAMPLE_DIR, "policy-config.json")) };
}

/** The example's config as the CLI hands it to the program: Pulumi.yaml's defaults, then the overrides. */
export function exampleConfig(overrides: Record<string, string> = {}): Record<string, string> {
    const project = yaml.load(fs.readFileSync(path.join(EXAMPLE_DIR, "Pulumi.yaml"), "utf8")) as {
        config: Record<string, { default?: unknown }>;
    };
    const defaults = Object.entries(project.config).flatMap(([key, declaration]) =>
        declaration.default === undefined ? [] : [[key, String(declaration.default)] as const],
    );
    return { ...Object.fromEntries(defaults), ...overrides };
}
