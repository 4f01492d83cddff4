// How the CLI starts the program and the policy host (docs/preview-performance.md): the compiled program's
// builds (scripts/lib/compiled-program.js) and the preload that keeps @pulumi/pulumi's heavy loads away.
import * as assert from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { REPO_ROOT } from "../../harness/stack-config";

interface CompiledProgram {
    ensureBuilt(entry: string): string;
    run(entry: string): Record<string, unknown>;
}
const compiled: CompiledProgram = require(path.join(REPO_ROOT, "scripts", "lib", "compiled-program.js"));
const PRELOAD = path.join(REPO_ROOT, "policy", "startup", "preload.js");
/** The files of the TypeScript compiler, Arborist and source-map-support that loading them puts in require.cache. */
const HEAVY =
    /typescript[\\/]lib[\\/]typescript\.js$|@npmcli[\\/]arborist[\\/]lib[\\/]index\.js$|source-map-support[\\/]source-map-support\.js$/;
const sourcesOf = (build: string): string[] => JSON.parse(fs.readFileSync(path.join(build, "sources.json"), "utf8")).sources;

describe("the compiled program (program.js)", function () {
    this.timeout(60_000);
    const scratch = path.join(REPO_ROOT, ".state", `compiled-program-test-${process.pid}`);
    const entry = path.relative(REPO_ROOT, path.join(scratch, "entry.ts"));
    const buildsOfEntry = path.join(REPO_ROOT, "bin", "program", entry.replace(/\.ts$/, "").replace(/[^A-Za-z0-9]+/g, "-"));

    beforeEach(() => {
        fs.mkdirSync(path.join(scratch, "lib"), { recursive: true });
        fs.writeFileSync(path.join(scratch, "entry.ts"), 'import { answer } from "./lib";\nexport const result: number = answer();\n');
        fs.writeFileSync(path.join(scratch, "lib", "index.ts"), "export const answer = (): number => 41;\n");
    });
    afterEach(() => {
        fs.rmSync(scratch, { recursive: true, force: true });
        fs.rmSync(buildsOfEntry, { recursive: true, force: true });
    });

    it("builds every file index.ts reaches, the policy files the admission component loads included", () => {
        const sources = sourcesOf(compiled.ensureBuilt("index.ts"));
        for (const file of ["index.ts", "stack.ts", "config.ts", "components/admission/index.ts", "policy/admission/generate.ts"]) {
            assert.ok(sources.includes(file), `${file} missing from ${sources.join(", ")}`);
        }
        assert.ok(!sources.some((file) => file.startsWith("test/")), sources.join(", "));
    });

    it("reuses a build while its sources are unchanged and replaces it after an edit", () => {
        const first = compiled.ensureBuilt(entry);
        assert.strictEqual(compiled.ensureBuilt(entry), first);
        assert.deepStrictEqual(sourcesOf(first), [entry, path.join(path.dirname(entry), "lib", "index.ts")].sort());
        fs.writeFileSync(path.join(scratch, "lib", "index.ts"), "export const answer = (): number => 42;\n");
        const second = compiled.ensureBuilt(entry);
        assert.notStrictEqual(second, first);
        assert.ok(!fs.existsSync(first), "the stale build is removed");
        assert.strictEqual(compiled.run(entry).result, 42);
    });
});

describe("the preload of the program and the policy host (policy/startup/preload.js)", function () {
    this.timeout(60_000);
    /**
     * The heavy modules in node's require cache once @pulumi/pulumi is loaded and, as its entry scripts
     * (cmd/run, cmd/run-policy-pack) do, source-map-support/register is required from the SDK's folder.
     */
    const heavyModulesLoaded = (preload: boolean): string[] => {
        const script = `require("@pulumi/pulumi");
            require("node:module").createRequire(require.resolve("@pulumi/pulumi/cmd/run/index.js"))("source-map-support/register");
            console.log(JSON.stringify(Object.keys(require.cache).filter((f) => /${HEAVY.source}/.test(f))));`;
        const args = preload ? ["--require", PRELOAD, "-e", script] : ["-e", script];
        const result = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: "utf8" });
        assert.strictEqual(result.status, 0, result.stderr);
        return JSON.parse(result.stdout);
    };

    it("keeps the TypeScript compiler, Arborist and source-map-support out of the SDK's start", () => {
        assert.strictEqual(heavyModulesLoaded(false).length, 3, "without the preload the SDK loads all three");
        assert.deepStrictEqual(heavyModulesLoaded(true), []);
    });

    it("opens the SDK's inspector session on first use, and still finds the file of a function loaded before it", () => {
        const scratch = fs.mkdtempSync(path.join(REPO_ROOT, ".state", "lazy-v8-hooks-"));
        const located = path.join(scratch, "located.js");
        fs.writeFileSync(located, "module.exports = function located() { return 1; };\n");
        // Counts inspector sessions, awaits the hooks as cmd/run does, then asks the SDK where the function is.
        const script = `const inspector = require("node:inspector");
            let sessions = 0;
            const connect = inspector.Session.prototype.connect;
            inspector.Session.prototype.connect = function () { sessions++; return connect.call(this); };
            const sdkRequire = require("node:module").createRequire(require.resolve("@pulumi/pulumi/cmd/run/index.js"));
            sdkRequire("../../runtime/closure/v8Hooks").isInitializedAsync().then(async () => {
                const before = sessions;
                const fn = require(${JSON.stringify(located)});
                const { file } = await require("@pulumi/pulumi/runtime/closure/v8").getFunctionLocationAsync(fn);
                console.log(JSON.stringify({ before, after: sessions, file }));
            });`;
        const run = (preload: boolean) => {
            const args = preload ? ["--require", PRELOAD, "-e", script] : ["-e", script];
            const result = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: "utf8" });
            assert.strictEqual(result.status, 0, result.stderr);
            return JSON.parse(result.stdout);
        };
        try {
            const file = pathToFileURL(located).href;
            assert.deepStrictEqual(run(false), { before: 1, after: 1, file }, "without the preload the SDK opens it before the program");
            assert.deepStrictEqual(run(true), { before: 0, after: 1, file });
        } finally {
            fs.rmSync(scratch, { recursive: true, force: true });
        }
    });

    it("still serializes functions, loading the real compiler and Arborist when first used", () => {
        const script = `require("@pulumi/pulumi").runtime.serializeFunction(() => 6 * 7).then((f) => console.log(f.text));`;
        const result = spawnSync(process.execPath, ["--require", PRELOAD, "-e", script], { cwd: REPO_ROOT, encoding: "utf8" });
        assert.strictEqual(result.status, 0, result.stderr);
        assert.match(result.stdout, /6 \* 7/);
    });
});
