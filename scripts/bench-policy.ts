// Times the policy pack two ways. In process: every resource policy on every resource, then every stack
// policy, over the prod platform and a generated stack ten times its size, printing the cost per resource
// and the growth (linear is ≈10x: stack policies index by namespace and labels instead of comparing
// pairs). End to end (--e2e, needs `scripts/cluster up` and the CLI from scripts/lib/pulumi-env.sh):
// deploys a throw-away copy of the dev stack, then times pairs of no-op `pulumi preview` without and
// with the pack (policy/config/dev.json) and prints the median wall times and their ratio.
// Run: npx ts-node --transpile-only scripts/bench-policy.ts [iterations] [--e2e [pairs]]
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import * as yaml from "js-yaml";
import { KUBECONFIG, pulumi, requireLocalCluster } from "../harness/cli";
import { packConfig, platformResources } from "../harness/platform";
import { type Resource, runPolicy } from "../harness/policy-host";
import { REPO_ROOT } from "../harness/stack-config";
import { rules } from "../policy/policies";

/** `copies` copies of the stack, each in its own namespaces with its own names, as ten tenants would be. */
function replicate(resources: readonly Resource[], copies: number): Resource[] {
    return Array.from({ length: copies }, (_, i) =>
        resources.map((r) => ({
            ...r,
            name: `${r.name}-copy${i}`,
            props: JSON.parse(JSON.stringify(r.props).replace(/blog-prod/g, `blog-prod-${i}`)),
        })),
    ).flat();
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
        const settings = typeof config[rule.metadata.name] === "object" ? (config[rule.metadata.name] as Record<string, unknown>) : {};
        const start = performance.now();
        timing.violations += (await runPolicy(rule.policy, resources, settings)).length;
        timing[rule.scope === "stack" ? "stack" : "resource"] += performance.now() - start;
    }
    return timing;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Median wall times of no-op previews of a deployed copy of the dev stack, without and with the pack. */
function endToEnd(pairs: number): void {
    requireLocalCluster();
    const stack = "bench-policy-dev";
    const file = yaml.load(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> };
    const stackFile = path.join(REPO_ROOT, `Pulumi.${stack}.yaml`);
    fs.writeFileSync(
        stackFile,
        yaml.dump({ config: { ...file.config, "blog:namespace": `blog-${stack}`, "blog:kubeconfig": KUBECONFIG } }),
    );
    pulumi(["stack", "init", stack, "--secrets-provider", "passphrase"], REPO_ROOT, { mayFail: true });
    const policy = path.join(REPO_ROOT, "policy");
    const withPack = ["--policy-pack", policy, "--policy-pack-config", path.join(policy, "config", "dev.json")];
    const timed = (args: string[]) => {
        const start = performance.now();
        pulumi(["preview", "--stack", stack, ...args], REPO_ROOT);
        return (performance.now() - start) / 1000;
    };
    try {
        const up = pulumi(["up", "--yes", "--skip-preview", "--stack", stack], REPO_ROOT);
        const resources = /Resources:\s*\n\s*\+?\s*(\d+)/.exec(up.stdout)?.[1] ?? "?";
        timed(withPack); // warm: plugins, the compiled pack, the OS file cache
        const without: number[] = [];
        const withIt: number[] = [];
        for (let i = 0; i < pairs; i++) {
            without.push(timed([]));
            withIt.push(timed(withPack));
        }
        const [a, b] = [median(without), median(withIt)];
        console.log(`no-op pulumi preview of the dev stack (${resources} resources), median of ${pairs} interleaved pairs:`);
        console.log(
            `  without the pack ${a.toFixed(2)} s   with the pack ${b.toFixed(2)} s   ratio ${(b / a).toFixed(2)}x (target ≤ 1.15x)`,
        );
        console.log(`  runs without: ${without.map((t) => t.toFixed(2)).join(" ")}   with: ${withIt.map((t) => t.toFixed(2)).join(" ")}`);
    } finally {
        pulumi(["destroy", "--yes", "--skip-preview", "--stack", stack], REPO_ROOT, { mayFail: true });
        pulumi(["stack", "rm", "--yes", "--force", stack], REPO_ROOT, { mayFail: true });
        fs.rmSync(stackFile, { force: true });
    }
}

async function main(): Promise<void> {
    const e2e = process.argv.indexOf("--e2e");
    if (e2e >= 0) {
        endToEnd(Number(process.argv[e2e + 1] ?? 5));
        return;
    }
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
        console.log(
            `${label.padEnd(22)} ${String(count).padStart(5)} resources   resource policies ${t.resource.toFixed(0).padStart(6)} ms  ` +
                ` stack policies ${t.stack.toFixed(1).padStart(7)} ms   total ${(t.resource + t.stack).toFixed(0).padStart(6)} ms   per ` +
                `resource ${((t.resource + t.stack) / count).toFixed(2)} ms   ${t.violations} violations`,
        );
    console.log(`the policy pack (${rules.length} policies) with policy/config/prod.json, median of ${iterations} runs`);
    row("platform (prod)", platform.length, small);
    row("generated, 10x", large.length, big);
    const ratio = (a: number, b: number) => (b / a).toFixed(2);
    console.log(
        `ratio for ${(large.length / platform.length).toFixed(0)}x resources: total ` +
            `${ratio(small.resource + small.stack, big.resource + big.stack)}x, ` +
            `resource policies ${ratio(small.resource, big.resource)}x, stack policies ${ratio(small.stack, big.stack)}x (linear ` +
            "growth is ≈10x)",
    );
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
