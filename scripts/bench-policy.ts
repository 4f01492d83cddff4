// Times the policy pack two ways. In process: every resource policy on every resource, then every stack
// policy, over the prod platform and a generated stack ten times its size, printing the cost per resource
// and the growth (linear is ≈10x: stack policies index by namespace and labels instead of comparing
// pairs). End to end (--e2e, needs `scripts/cluster up` and the CLI from scripts/lib/pulumi-env.sh):
// deploys a throw-away copy of the dev stack, then times rounds of no-op `pulumi preview` without the pack,
// with it (policy/config/dev.json), with it loaded as before policy/startup/preload.js, and with a pack of one
// policy that checks nothing (what any pack costs), and prints the median wall times and their ratios. With
// --no-deploy nothing is deployed (previews of an empty stack). The figures printed are also recorded in
// docs/figures/bench-policy.json with the date and commit (harness/figures.ts), which the docs cite.
// Run: npx ts-node --transpile-only scripts/bench-policy.ts [iterations] [--e2e [rounds] [--no-deploy]]
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import * as yaml from "js-yaml";
import { KUBECONFIG, pulumi, requireLocalCluster } from "../harness/cli";
import { type Measurement, recordFigures } from "../harness/figures";
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

/**
 * A copy of the pack as the CLI loaded it before policy/startup/preload.js: the same compiled pack and
 * node_modules, but a PulumiPolicy.yaml without the preload (so the host loads TypeScript, ts-node, Arborist).
 */
function packWithoutPreload(policy: string): string {
    const copy = path.join(REPO_ROOT, ".state", "bench-policy", "pack-without-preload");
    fs.rmSync(copy, { recursive: true, force: true });
    fs.cpSync(policy, copy, {
        recursive: true,
        filter: (source) => path.basename(source) !== "node_modules" || path.dirname(source) !== policy,
    });
    fs.symlinkSync(path.join(policy, "node_modules"), path.join(copy, "node_modules"));
    const project = yaml.load(fs.readFileSync(path.join(policy, "PulumiPolicy.yaml"), "utf8")) as { runtime: unknown };
    fs.writeFileSync(path.join(copy, "PulumiPolicy.yaml"), yaml.dump({ ...project, runtime: "nodejs" }));
    return copy;
}

/**
 * The floor any CrossGuard pack pays: one policy that checks nothing, served by the same @pulumi/policy and
 * started with the same preload. The engine still starts its host before the program and calls Analyze for
 * every resource, and AnalyzeStack once, exactly as for the real pack.
 */
function noOpPack(policy: string): string {
    const dir = path.join(REPO_ROOT, ".state", "bench-policy", "no-op-pack");
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.symlinkSync(path.join(policy, "node_modules"), path.join(dir, "node_modules"));
    fs.writeFileSync(
        path.join(dir, "PulumiPolicy.yaml"),
        yaml.dump({
            runtime: { name: "nodejs", options: { nodeargs: `--require ${path.join(policy, "startup", "preload.js")}` } },
            description: "One policy that checks nothing: the cost of any pack",
        }),
    );
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "no-op-pack", version: "0.0.0", main: "index.js" }));
    fs.writeFileSync(
        path.join(dir, "index.js"),
        'const { PolicyPack } = require("@pulumi/policy");\n' +
            'new PolicyPack("no-op", { policies: [{ name: "no-op", description: "Checks nothing", enforcementLevel: "advisory", ' +
            "validateResource: () => {} }] });\n",
    );
    return dir;
}

/**
 * Median wall times of previews of a copy of the dev stack: without the pack, with it, and with it as loaded
 * before the preload, in interleaved rounds. Deployed first (no-op previews) unless `deploy` is false: then
 * the stack has no state and every resource is a create (the API server is only read; fit for a shared cluster).
 */
function endToEnd(rounds: number, deploy: boolean): void {
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
    const packConfig = ["--policy-pack-config", path.join(policy, "config", "dev.json")];
    const variants = [
        [],
        ["--policy-pack", policy, ...packConfig],
        ["--policy-pack", packWithoutPreload(policy), ...packConfig],
        ["--policy-pack", noOpPack(policy)],
    ];
    const timed = (args: string[]) => {
        const start = performance.now();
        pulumi(["preview", "--stack", stack, ...args], REPO_ROOT);
        return (performance.now() - start) / 1000;
    };
    try {
        let resources = "?";
        if (deploy) {
            const up = pulumi(["up", "--yes", "--skip-preview", "--stack", stack], REPO_ROOT);
            resources = /Resources:\s*\n\s*\+?\s*(\d+)/.exec(up.stdout)?.[1] ?? "?";
        }
        for (const args of variants) {
            timed(args); // warm: plugins, the compiled program and pack, the OS file cache
        }
        const times: number[][] = variants.map(() => []);
        for (let i = 0; i < rounds; i++) {
            for (const [v, args] of variants.entries()) {
                times[v].push(timed(args));
            }
        }
        const [without, withIt, before, noOp] = times.map(median);
        const kind = deploy
            ? `no-op pulumi preview of the dev stack (${resources} resources)`
            : "pulumi preview of the undeployed dev stack (every resource a create)";
        const load = os.loadavg()[0].toFixed(1);
        console.log(`${kind}, median of ${rounds} interleaved rounds, load average ${load}:`);
        const ratio = (withIt / without).toFixed(2);
        console.log(`  without the pack ${without.toFixed(2)} s   with the pack ${withIt.toFixed(2)} s   ratio ${ratio}x (target ≤ 1.15x)`);
        console.log(`  with the pack loaded as before the preload ${before.toFixed(2)} s   ratio ${(before / without).toFixed(2)}x`);
        console.log(`  with a pack of one policy that checks nothing ${noOp.toFixed(2)} s   ratio ${(noOp / without).toFixed(2)}x`);
        const names = ["without", "with", "with, before the preload", "with a no-op pack"];
        console.log(`  runs (s): ${times.map((runs, v) => `${names[v]}: ${runs.map((t) => t.toFixed(2)).join(" ")}`).join("   ")}`);
        const mode = deploy ? "e2e" : "e2e-no-deploy";
        const how = `scripts/bench-policy.ts --e2e${deploy ? "" : " --no-deploy"}, median of ${rounds} rounds, load average ${load}`;
        const figures: Record<string, Measurement> = {
            [`${mode}.without-pack.seconds`]: { value: round2(without), unit: "s", what: `dev stack preview without the pack, ${how}` },
            [`${mode}.with-pack.seconds`]: { value: round2(withIt), unit: "s", what: `dev stack preview with the pack, ${how}` },
            [`${mode}.ratio`]: { value: round2(withIt / without), unit: "x", what: `with the pack / without, ${how}` },
            [`${mode}.ratio-before-preload`]: {
                value: round2(before / without),
                unit: "x",
                what: `with the pack loaded as before the preload / without, ${how}`,
            },
            [`${mode}.ratio-no-op-pack`]: { value: round2(noOp / without), unit: "x", what: `with a no-op pack / without, ${how}` },
        };
        if (resources !== "?") {
            figures[`${mode}.dev-stack.resources`] = {
                value: Number(resources),
                unit: "resources",
                what: `resources pulumi up created, ${how}`,
            };
        }
        console.log(`recorded in ${path.relative(REPO_ROOT, recordFigures("bench-policy", figures))}`);
    } finally {
        if (deploy) {
            pulumi(["destroy", "--yes", "--skip-preview", "--stack", stack], REPO_ROOT, { mayFail: true });
        }
        pulumi(["stack", "rm", "--yes", "--force", stack], REPO_ROOT, { mayFail: true });
        fs.rmSync(stackFile, { force: true });
    }
}

async function main(): Promise<void> {
    const e2e = process.argv.indexOf("--e2e");
    if (e2e >= 0) {
        const rounds = process.argv.slice(e2e + 1).find((arg) => !arg.startsWith("--"));
        endToEnd(Number(rounds ?? 5), !process.argv.includes("--no-deploy"));
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
    const load = os.loadavg()[0].toFixed(1);
    const how = `scripts/bench-policy.ts ${iterations}, in process, median of ${iterations} runs, load average ${load}`;
    const total = small.resource + small.stack;
    const file = recordFigures("bench-policy", {
        "in-process.prod.resources": {
            value: platform.length,
            unit: "resources",
            what: `resources the prod platform registers (mocks), ${how}`,
        },
        "in-process.prod.resource-policies.ms": {
            value: Math.round(small.resource),
            unit: "ms",
            what: `resource policies over them, ${how}`,
        },
        "in-process.prod.per-resource.ms": {
            value: round2(total / platform.length),
            unit: "ms",
            what: `the pack's cost per resource, ${how}`,
        },
        "in-process.growth-10x": {
            value: round2((big.resource + big.stack) / total),
            unit: "x",
            what: `total for 10x resources / total, ${how}`,
        },
    });
    console.log(`recorded in ${path.relative(REPO_ROOT, file)}`);
}

const round2 = (n: number) => Math.round(n * 100) / 100;

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
