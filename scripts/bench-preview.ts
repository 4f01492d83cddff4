// Times a no-op `pulumi preview` of the dev stack against one of a one-Deployment program, both already
// deployed, in interleaved pairs, and prints the median ratio (issue 12's target: at most 1.5). By default
// both go to the local cluster (scripts/cluster up); with --render both providers render YAML to a
// directory instead (no cluster: program load, registrations and the provider's check/diff, without the
// API server). Needs the CLI environment:
//   source scripts/lib/pulumi-env.sh && npx ts-node --transpile-only scripts/bench-preview.ts [--render] [pairs]
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
    const result = spawnSync("pulumi", [...args, "--stack", STACK, "--non-interactive"], {
        cwd,
        env,
        encoding: "utf8",
        maxBuffer: 1 << 26,
    });
    if (result.status !== 0) {
        throw new Error(`pulumi ${args.join(" ")} in ${cwd} exited ${result.status}\n${result.stdout}\n${result.stderr}`);
    }
    return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Copies a program under .state (so it resolves the repo's node_modules) with the same tsconfig.json. */
function stage(name: string, extra: string[] = []): string {
    const dir = path.join(WORK, name);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.cpSync(path.join(ROOT, "scripts", "bench", name), dir, { recursive: true });
    for (const file of ["tsconfig.json", ...extra]) {
        fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
    }
    return dir;
}

function main(): void {
    const render = process.argv.includes("--render");
    const pairs = Number(process.argv.filter((arg) => !arg.startsWith("--"))[2] ?? 5);
    fs.mkdirSync(path.join(WORK, "backend"), { recursive: true });
    const baseline = stage("one-deployment");
    // The platform-render wrapper sits three levels below the repo, as its imports expect.
    const platformDir = render ? stage("platform-render", ["Pulumi.yaml"]) : ROOT;
    fs.writeFileSync(
        path.join(baseline, `Pulumi.${STACK}.yaml`),
        dump({ config: render ? { "bench-one-deployment:renderYamlToDirectory": "rendered" } : {} }),
    );

    const dev = load(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> };
    const stackFile = path.join(platformDir, `Pulumi.${STACK}.yaml`);
    fs.writeFileSync(
        stackFile,
        dump({ config: { ...dev.config, "blog:namespace": "blog-bench", "blog:kubeconfig": render ? "" : KUBECONFIG } }),
    );
    try {
        for (const dir of [platformDir, baseline]) {
            spawnSync("pulumi", ["stack", "init", STACK, "--secrets-provider", "passphrase", "--non-interactive"], { cwd: dir, env });
            pulumi(["up", "--yes", "--skip-preview"], dir);
        }
        // One untimed round warms the file cache and the plugin binaries.
        pulumi(["preview"], platformDir);
        pulumi(["preview"], baseline);
        const platform: number[] = [];
        const one: number[] = [];
        for (let i = 0; i < pairs; i++) {
            platform.push(pulumi(["preview", "--expect-no-changes"], platformDir));
            one.push(pulumi(["preview", "--expect-no-changes"], baseline));
        }
        const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
        const ratio = median(platform) / median(one);
        const mode = render ? " (providers rendering YAML, no cluster)" : "";
        console.log(
            `no-op preview${mode}, median of ${pairs} pairs: dev stack ${seconds(median(platform))}, ` +
                `one Deployment ${seconds(median(one))}, ratio ${ratio.toFixed(2)} (target ≤ 1.5)`,
        );
        console.log(`dev stack runs (s): ${platform.map((ms) => (ms / 1000).toFixed(2)).join(" ")}`);
        console.log(`one Deployment runs (s): ${one.map((ms) => (ms / 1000).toFixed(2)).join(" ")}`);
    } finally {
        for (const dir of [platformDir, baseline]) {
            spawnSync("pulumi", ["destroy", "--yes", "--skip-preview", "--stack", STACK, "--non-interactive"], { cwd: dir, env });
            spawnSync("pulumi", ["stack", "rm", "--yes", "--force", "--stack", STACK, "--non-interactive"], { cwd: dir, env });
        }
        fs.rmSync(stackFile, { force: true });
    }
}

main();
