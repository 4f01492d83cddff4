// Times the whole policy pack (every resource policy on every resource, then every stack policy) over the
// prod platform and over a generated stack ten times its size, and prints the ratio: growth should be
// linear (≈10x), since the stack policies index by namespace and labels instead of comparing all pairs.
// Run: npx ts-node --transpile-only scripts/bench-policy.ts [iterations]
import { performance } from "perf_hooks";
import { rules } from "../policy/policies";
import { Resource, runPolicy } from "../test/policy/harness";
import { packConfig, platformResources } from "../test/policy/platform-resources";

/** `copies` copies of the stack, each in its own namespaces with its own names, as ten tenants would be. */
function replicate(resources: readonly Resource[], copies: number): Resource[] {
    return Array.from({ length: copies }, (_, i) => resources.map((r) => ({
        ...r,
        name: `${r.name}-copy${i}`,
        props: JSON.parse(JSON.stringify(r.props).replace(/blog-prod/g, `blog-prod-${i}`)),
    }))).flat();
}

interface Timing {
    /** Median milliseconds for all resource policies over every resource. */
    resource: number;
    /** Median milliseconds for all stack policies over the stack. */
    stack: number;
    violations: number;
}

/** One run of the pack, timed per policy kind (the CLI runs resource policies per resource, stack policies once). */
async function timeOnce(resources: Resource[]): Promise<Timing> {
    const config = packConfig("prod");
    const timing: Timing = { resource: 0, stack: 0, violations: 0 };
    for (const rule of rules) {
        const settings = typeof config[rule.metadata.name] === "object" ? config[rule.metadata.name] as Record<string, unknown> : {};
        const start = performance.now();
        timing.violations += (await runPolicy(rule.policy, resources, settings)).length;
        timing[rule.scope === "stack" ? "stack" : "resource"] += performance.now() - start;
    }
    return timing;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
    const iterations = Number(process.argv[2] ?? 5);
    const platform = await platformResources("prod");
    const large = replicate(platform, 10);
    // Warm both sizes first (module loading, JIT), then interleave so neither size gets a warmer machine.
    await timeOnce(platform);
    await timeOnce(large);
    const runs: { small: Timing[]; large: Timing[] } = { small: [], large: [] };
    for (let i = 0; i < iterations; i++) {
        runs.small.push(await timeOnce(platform));
        runs.large.push(await timeOnce(large));
    }
    const summary = (timings: Timing[]) => ({
        resource: median(timings.map((t) => t.resource)),
        stack: median(timings.map((t) => t.stack)),
        violations: timings[0].violations,
    });
    const [small, big] = [summary(runs.small), summary(runs.large)];
    const row = (label: string, count: number, t: ReturnType<typeof summary>) =>
        console.log(`${label.padEnd(22)} ${String(count).padStart(5)} resources   resource policies ${t.resource.toFixed(0).padStart(6)} ms   stack policies ${t.stack.toFixed(1).padStart(7)} ms   total ${(t.resource + t.stack).toFixed(0).padStart(6)} ms   ${t.violations} violations`);
    console.log(`the policy pack (${rules.length} policies) with policy/config/prod.json, median of ${iterations} runs`);
    row("platform (prod)", platform.length, small);
    row("generated, 10x", large.length, big);
    const ratio = (a: number, b: number) => (b / a).toFixed(2);
    console.log(`ratio for ${(large.length / platform.length).toFixed(0)}x resources: total ${ratio(small.resource + small.stack, big.resource + big.stack)}x, `
        + `resource policies ${ratio(small.resource, big.resource)}x, stack policies ${ratio(small.stack, big.stack)}x (linear growth is ≈10x)`);
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
