// Times a no-op `pulumi preview` of the dev stack against one of a one-Deployment program, both already
// deployed to the local cluster, in interleaved pairs, and prints the median ratio (issue 12's target:
// at most 1.5). Needs the local cluster (scripts/cluster up) and the CLI environment:
//   source scripts/lib/pulumi-env.sh && npx ts-node --transpile-only scripts/bench-preview.ts [pairs]
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { dump, load } from "js-yaml";

const ROOT = path.resolve(__dirname, "..");
const WORK = path.join(ROOT, ".state", "bench-preview");
const KUBECONFIG = path.join(ROOT, ".cluster", "kubeconfig");
const STACK = "bench-dev";
const env = { ...process.env, KUBECONFIG, PULUMI_BACKEND_URL: `file://${WORK}/backend` };

function pulumi(args: string[], cwd: string): number {
    const started = performance.now();
    const result = spawnSync("pulumi", [...args, "--stack", STACK, "--non-interactive"], { cwd, env, encoding: "utf8", maxBuffer: 1 << 26 });
    if (result.status !== 0) {
        throw new Error(`pulumi ${args.join(" ")} in ${cwd} exited ${result.status}\n${result.stdout}\n${result.stderr}`);
    }
    return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function main(): void {
    const pairs = Number(process.argv[2] ?? 5);
    fs.mkdirSync(path.join(WORK, "backend"), { recursive: true });
    // The baseline lives under the repo so it resolves the same node_modules.
    const baseline = path.join(WORK, "one-deployment");
    fs.rmSync(baseline, { recursive: true, force: true });
    fs.cpSync(path.join(ROOT, "scripts", "bench", "one-deployment"), baseline, { recursive: true });

    const dev = load(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> };
    const stackFile = path.join(ROOT, `Pulumi.${STACK}.yaml`);
    fs.writeFileSync(stackFile, dump({ config: { ...dev.config, "blog:namespace": "blog-bench", "blog:kubeconfig": KUBECONFIG } }));
    try {
        for (const dir of [ROOT, baseline]) {
            spawnSync("pulumi", ["stack", "init", STACK, "--secrets-provider", "passphrase", "--non-interactive"], { cwd: dir, env });
            pulumi(["up", "--yes", "--skip-preview"], dir);
        }
        // One untimed round warms the file cache and the plugin binaries.
        pulumi(["preview"], ROOT);
        pulumi(["preview"], baseline);
        const platform: number[] = [];
        const one: number[] = [];
        for (let i = 0; i < pairs; i++) {
            platform.push(pulumi(["preview", "--expect-no-changes"], ROOT));
            one.push(pulumi(["preview", "--expect-no-changes"], baseline));
        }
        const ratio = median(platform) / median(one);
        console.log(`no-op preview, median of ${pairs} pairs: dev stack ${(median(platform) / 1000).toFixed(2)} s, `
            + `one Deployment ${(median(one) / 1000).toFixed(2)} s, ratio ${ratio.toFixed(2)} (target ≤ 1.5)`);
        console.log(`dev stack runs (s): ${platform.map((ms) => (ms / 1000).toFixed(2)).join(" ")}`);
        console.log(`one Deployment runs (s): ${one.map((ms) => (ms / 1000).toFixed(2)).join(" ")}`);
    } finally {
        for (const dir of [ROOT, baseline]) {
            spawnSync("pulumi", ["destroy", "--yes", "--skip-preview", "--stack", STACK, "--non-interactive"], { cwd: dir, env });
            spawnSync("pulumi", ["stack", "rm", "--yes", "--force", "--stack", STACK, "--non-interactive"], { cwd: dir, env });
        }
        fs.rmSync(stackFile, { force: true });
    }
}

main();
