// The platform program's resources and the pack configs that ship for its stacks, for the policy tests
// and the benchmark.
import { readPackConfig } from "../../components/admission";
import { parseConfig } from "../../config";
import { buildStack } from "../../stack";
import { recordResources } from "../helpers/mocks";
import { stackConfig } from "../helpers/stack-config";
import type { PackConfig, Resource } from "./harness";

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

/**
 * Policies the platform's components do not satisfy yet, with what they wait for. The platform tests
 * leave their findings out, and check separately that each still fires on the platform (so the entry
 * is removed as soon as the components catch up).
 */
export const PENDING_COMPONENT_WORK: Readonly<Record<string, string>> = {};

export const withoutPending = <T extends { policy: string }>(violations: readonly T[]): T[] =>
    violations.filter((v) => PENDING_COMPONENT_WORK[v.policy] === undefined);
