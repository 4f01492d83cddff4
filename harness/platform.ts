// The platform program's resources for a stack, as the engine would hand them to the policy pack, and the
// pack config that ships for the stack: what the policy tests and scripts/bench-policy.ts run the pack on.
import { readPackConfig } from "../components/admission";
import { parseConfig } from "../config";
import { buildStack } from "../stack";
import type { PackConfig, Resource } from "./policy-host";
import { recordResources } from "./record";
import { stackConfig } from "./stack-config";

/**
 * Every resource the program registers for a stack (what index.ts builds: the platform and, when enabled,
 * its monitoring), as the engine would hand it to the pack.
 */
export async function platformResources(stack: "dev" | "prod", overrides: Record<string, unknown> = {}): Promise<Resource[]> {
    const cfg = parseConfig(stackConfig(stack, overrides));
    const { resources } = await recordResources(() => buildStack(cfg));
    return resources.map((r) => ({ type: r.type, name: r.name, props: r.inputs }));
}

/** The pack config of a stack's environment (the same file the stack's admission policies are built from). */
export const packConfig = (stack: "dev" | "prod"): PackConfig => readPackConfig(stack) as PackConfig;
