// Reads the real Pulumi.yaml defaults and Pulumi.<stack>.yaml values, as the CLI would hand them over.
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";

export const REPO_ROOT = path.resolve(__dirname, "..");

type Declarations = Record<string, { type?: string; default?: unknown; description?: string }>;

export function projectConfigDeclarations(): Declarations {
    const project = yaml.load(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as { config: Declarations };
    return project.config;
}

/** The image lock the tests use in place of .state/images.json (which only scripts/images push writes). */
export const FIXTURE_IMAGE_LOCK = path.join(REPO_ROOT, "test", "fixtures", "images.json");

/**
 * The raw config a stack's program sees: project defaults overlaid by the stack file, objects as JSON. A
 * stack's image lock is replaced by the fixture lock, so tests never read the machine's .state.
 */
export function stackConfig(stack: string, overrides: Record<string, unknown> = {}): Record<string, string> {
    const file = yaml.load(fs.readFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
    const raw: Record<string, string> = {};
    for (const [key, declaration] of Object.entries(projectConfigDeclarations())) {
        if (declaration.default !== undefined) {
            raw[key] = encode(declaration.default);
        }
    }
    const config = { ...file.config };
    if (config["blog:imageLock"]) {
        config["blog:imageLock"] = FIXTURE_IMAGE_LOCK;
    }
    for (const [key, value] of Object.entries({ ...config, ...overrides })) {
        if (value === undefined) {
            delete raw[key];
        } else {
            raw[key] = encode(value);
        }
    }
    return raw;
}

function encode(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}
