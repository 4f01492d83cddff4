// The platform program's resources and the pack configs that ship for its stacks, for the policy tests
// and the benchmark.
import * as fs from "fs";
import * as path from "path";
import { parseConfig } from "../../config";
import { buildStack } from "../../stack";
import { recordResources } from "../helpers/mocks";
import { stackConfig } from "../helpers/stack-config";
import { PackConfig, POLICY_DIR, Resource } from "./harness";

/**
 * Every resource the program registers for a stack (what index.ts builds: the platform and, when enabled,
 * its monitoring), as the engine would hand it to the pack.
 */
export async function platformResources(stack: "dev" | "prod", overrides: Record<string, unknown> = {}): Promise<Resource[]> {
    const cfg = parseConfig(stackConfig(stack, overrides));
    const { resources } = await recordResources(() => buildStack(cfg));
    return resources.map((r) => ({ type: r.type, name: r.name, props: r.inputs }));
}

export const packConfig = (stack: "dev" | "prod"): PackConfig =>
    JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "config", `${stack}.json`), "utf8"));

