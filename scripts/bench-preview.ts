// Times a no-op `pulumi preview` of the dev stack against one of a one-Deployment program, both already
// deployed, in interleaved rounds, and prints the median ratio (issue 12's target: at most 1.5). Each round
// also previews the dev stack run the way it ran before program.js (TypeScript through ts-node, no preload),
// so the before/after ratios come from the same run. By default all go to the local cluster (scripts/cluster
// up). --no-deploy deploys nothing and previews stacks without state instead (every resource a create: the
// provider still checks every object with the API server, which is left untouched; fit for a cluster
// others use). --render makes every provider render YAML to a directory (no cluster: program load,
// registrations and the provider's check/diff, without the API server). The medians, ratios and the dev
// stack's resource count go to docs/figures/bench-preview.json (harness/figures.ts), which the docs cite.
// Needs the CLI environment:
//   source scripts/lib/pulumi-env.sh && npx ts-node --transpile-only scripts/bench-preview.ts [--render|--no-deploy] [rounds]
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { dump, load } from "js-yaml";
import { type Measurement, recordFigures } from "../harness/figures";
import { FIXTURE_IMAGE_LOCK } from "../harness/stack-config";

const ROOT = path.resolve(__dirname, "..");
const WORK = path.join(ROOT, ".state", "bench-preview");
const KUBECONFIG = path.join(ROOT, ".cluster", "kubeconfig");
const STACK = "bench-dev";
const env: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG, PULUMI_BACKEND_URL: `file://${WORK}/backend` };

function pulumi(args: string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}): number {
    return pulumiRun(args, cwd, extraEnv).ms;
}

function pulumiRun(args: string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}): { ms: number; stdout: string } {
    const started = performance.now();
    const result = spawnSync("pulumi", [...args, "--stack", STACK, "--non-interactive"], {
        cwd,
        env: { ...env, ...extraEnv },
        encoding: "utf8",
        maxBuffer: 1 << 26,
    });
    if (result.status !== 0) {
        throw new Error(`pulumi ${args.join(" ")} in ${cwd} exited ${result.status}\n${result.stdout}\n${result.stderr}`);
    }
    return { ms: performance.now() - started, stdout: result.stdout };
}

/** The resources a `pulumi preview --json` counts (the Stack and explicit providers included), by its change summary. */
function previewedResources(json: string): number {
    const summary = (JSON.parse(json) as { changeSummary?: Record<string, number> }).changeSummary;
    if (summary === undefined) {
        throw new Error("pulumi preview --json printed no changeSummary");
    }
    return Object.values(summary).reduce((sum, n) => sum + n, 0);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Copies a program under .state (so it resolves the repo's node_modules) with the same tsconfig.json. */
function stage(name: string, from = name): string {
    const dir = path.join(WORK, name);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.cpSync(path.join(ROOT, "scripts", "bench", from), dir, { recursive: true });
    fs.copyFileSync(path.join(ROOT, "tsconfig.json"), path.join(dir, "tsconfig.json"));
    return dir;
}

interface Project {
    main?: string;
    runtime: { name: string; options: Record<string, unknown> };
}

/**
 * Writes `dir`'s Pulumi.yaml from the repo's (project name, config declarations), run either as the CLI
 * runs the repo now (compiled by scripts/lib/compiled-program.js, with the preload) or as before (ts-node).
 */
function writeProject(dir: string, way: "compiled" | "ts-node"): void {
    const project = load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as Project;
    if (way === "compiled") {
        const entry = path.relative(ROOT, path.join(dir, "index.ts"));
        const launcher = path.join(ROOT, "scripts", "lib", "compiled-program.js");
        fs.writeFileSync(
            path.join(dir, "program.js"),
            `module.exports = require(${JSON.stringify(launcher)}).run(${JSON.stringify(entry)});\n`,
        );
        project.runtime.options.nodeargs = `--require ${path.join(ROOT, "policy", "startup", "preload.js")}`;
    } else {
        project.main = "index.ts";
        project.runtime.options = { typescript: true };
    }
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), dump(project));
}

type Mode = "cluster" | "no-deploy" | "render";

/** The dev stack's config with its own namespace, for the platform run from `dir`; returns the file. */
function writeStackConfig(dir: string, mode: Mode): string {
    const dev = load(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> };
    const file = path.join(dir, `Pulumi.${STACK}.yaml`);
    const config = {
        ...dev.config,
        "blog:namespace": "blog-bench",
        "blog:kubeconfig": mode === "render" ? "" : KUBECONFIG,
        "blog:imageLock": imageLock(mode),
    };
    fs.writeFileSync(file, dump({ config }));
    return file;
}

/**
 * The lock scripts/images push writes; rendering needs no registry, so without a lock it renders the tests'
 * fixture lock (same names, other digests: the same resources).
 */
function imageLock(mode: Mode): string {
    const pushed = path.join(ROOT, ".state", "images.json");
    return mode === "render" && !fs.existsSync(pushed) ? FIXTURE_IMAGE_LOCK : pushed;
}

function main(): void {
    const mode: Mode = process.argv.includes("--render") ? "render" : process.argv.includes("--no-deploy") ? "no-deploy" : "cluster";
    const rounds = Number(process.argv.filter((arg) => !arg.startsWith("--"))[2] ?? 5);
    if (mode === "render") {
        // The provider takes KUBECONFIG as its kubeconfig, which it refuses together with renderYamlToDirectory.
        delete env.KUBECONFIG;
    }
    fs.mkdirSync(path.join(WORK, "backend"), { recursive: true });
    const baseline = stage("one-deployment");
    fs.writeFileSync(
        path.join(baseline, `Pulumi.${STACK}.yaml`),
        dump({ config: mode === "render" ? { "bench-one-deployment:renderYamlToDirectory": "rendered" } : {} }),
    );
    // The platform as the CLI runs it now, and as it ran before (ts-node). Both wrappers sit three levels
    // below the repo, as their imports expect; with a cluster the first is the repo itself.
    let platform = ROOT;
    if (mode === "render") {
        platform = stage("platform-render");
        writeProject(platform, "compiled");
    }
    const before = stage(mode === "render" ? "platform-render-ts" : "platform-ts", mode === "render" ? "platform-render" : "platform-ts");
    writeProject(before, "ts-node");
    // The dev stack once more without the preload's compile cache (NODE_DISABLE_COMPILE_CACHE), to show
    // its share side by side.
    const programs: { dir: string; env?: NodeJS.ProcessEnv }[] = [
        { dir: platform },
        { dir: before },
        { dir: baseline },
        { dir: platform, env: { NODE_DISABLE_COMPILE_CACHE: "1" } },
    ];
    const preview = mode === "cluster" ? ["preview", "--expect-no-changes"] : ["preview"];
    // The two platform directories are one stack (same project, stack and backend): one config file, copied
    // once `stack init` has added the stack's encryption salt to it.
    const stackFiles = [writeStackConfig(platform, mode), path.join(before, `Pulumi.${STACK}.yaml`)];
    try {
        for (const dir of [platform, baseline]) {
            spawnSync("pulumi", ["stack", "init", STACK, "--secrets-provider", "passphrase", "--non-interactive"], { cwd: dir, env });
        }
        fs.copyFileSync(stackFiles[0], stackFiles[1]);
        if (mode !== "no-deploy") {
            for (const dir of [platform, baseline]) {
                pulumi(["up", "--yes", "--skip-preview"], dir);
            }
        }
        // One untimed round warms the file cache, the plugin binaries and the compiled program; the dev
        // stack's preview of it also counts the resources.
        const resources = previewedResources(pulumiRun(["preview", "--json"], platform).stdout);
        for (const dir of new Set(programs.map((program) => program.dir).filter((dir) => dir !== platform))) {
            pulumi(["preview"], dir);
        }
        const times: number[][] = programs.map(() => []);
        for (let i = 0; i < rounds; i++) {
            for (const [p, program] of programs.entries()) {
                times[p].push(pulumi(preview, program.dir, program.env));
            }
        }
        const [now, then, one, uncached] = times.map(median);
        const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
        const label = {
            cluster: "",
            "no-deploy": " (stacks not deployed: every resource a create)",
            render: " (providers rendering YAML, no cluster)",
        };
        const load = os.loadavg()[0].toFixed(1);
        console.log(`preview${label[mode]} of the dev stack's ${resources} resources, median of ${rounds} rounds, load average ${load}:`);
        console.log(`  dev stack ${seconds(now)}, one Deployment ${seconds(one)}: ratio ${(now / one).toFixed(2)} (target ≤ 1.5)`);
        console.log(`  dev stack through ts-node, as before program.js: ${seconds(then)}, ratio ${(then / one).toFixed(2)}`);
        console.log(`  dev stack without the compile cache: ${seconds(uncached)}, ratio ${(uncached / one).toFixed(2)}`);
        const names = ["dev stack", "dev stack (ts-node)", "one Deployment", "dev stack (no compile cache)"];
        for (const [p, runs] of times.entries()) {
            console.log(`  ${names[p]} runs (s): ${runs.map((ms) => (ms / 1000).toFixed(2)).join(" ")}`);
        }
        const flag = mode === "cluster" ? "no flag: no-op previews of deployed copies" : `--${mode}`;
        const how = `scripts/bench-preview.ts ${flag}, median of ${rounds} rounds, load average ${load}`;
        const round2 = (n: number) => Math.round(n * 100) / 100;
        const figures: Record<string, Measurement> = {
            [`${mode}.dev-stack.resources`]: {
                value: resources,
                unit: "resources",
                what: `resources the dev stack's preview counts (${flag})`,
            },
            [`${mode}.dev-stack.seconds`]: { value: round2(now / 1000), unit: "s", what: `the dev stack's preview, ${how}` },
            [`${mode}.one-deployment.seconds`]: {
                value: round2(one / 1000),
                unit: "s",
                what: `the one-Deployment program's preview, ${how}`,
            },
            [`${mode}.ratio`]: { value: round2(now / one), unit: "", what: `dev stack / one Deployment, ${how}` },
            [`${mode}.ratio-ts-node`]: { value: round2(then / one), unit: "", what: `dev stack through ts-node / one Deployment, ${how}` },
            [`${mode}.ratio-no-compile-cache`]: {
                value: round2(uncached / one),
                unit: "",
                what: `dev stack without the compile cache / one Deployment, ${how}`,
            },
        };
        console.log(`recorded in ${path.relative(ROOT, recordFigures("bench-preview", figures))}`);
    } finally {
        for (const dir of mode === "no-deploy" ? [] : [platform, baseline]) {
            spawnSync("pulumi", ["destroy", "--yes", "--skip-preview", "--stack", STACK, "--non-interactive"], { cwd: dir, env });
        }
        for (const dir of [platform, baseline]) {
            spawnSync("pulumi", ["stack", "rm", "--yes", "--force", "--stack", STACK, "--non-interactive"], { cwd: dir, env });
        }
        for (const file of stackFiles) {
            fs.rmSync(file, { force: true });
        }
    }
}

main();
