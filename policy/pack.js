// The pack's entry point (package.json "main"): loads the pack compiled to JavaScript, so the CLI's
// policy host does not type-check the TypeScript sources through ts-node on every preview (seconds).
// Plain JavaScript because it must run before anything is compiled. The compiled pack lives in
// bin/<hash of the sources>/ (git-ignored): scripts/bootstrap builds it, and an edited source gets a
// new hash, so a stale build is never loaded; a missing one is built here once, into a temporary folder
// renamed into place, so concurrent previews never read a half-written pack.

const childProcess = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const PACK_DIR = __dirname;
const BUILD_CONFIG = path.join(PACK_DIR, "tsconfig.build.json");
const SOURCE_DIRS = ["", "lib", "rules"];
/** A rule's fixtures and CEL twin sit beside it but are not part of the pack (tsconfig.build.json). */
const NOT_BUILT = new Set(["fixtures.ts", "cel.ts"]);

/** The .ts files under `dir` (rules/ holds one folder per rule), without those the build leaves out. */
function tsFiles(dir, recursive) {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            return recursive ? tsFiles(file, true).filter((f) => !NOT_BUILT.has(path.basename(f))) : [];
        }
        return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [file] : [];
    });
}

/** The .ts sources the build compiles, with the build configs and lock file: what the hash covers. */
function sources() {
    const files = SOURCE_DIRS.flatMap((dir) => tsFiles(path.join(PACK_DIR, dir), dir !== ""));
    return [...files.sort(), BUILD_CONFIG, path.join(PACK_DIR, "tsconfig.json"), path.join(PACK_DIR, "package-lock.json")];
}

/** Where the build of the current sources lives. */
function buildDir() {
    const hash = crypto.createHash("sha256");
    for (const file of sources()) {
        hash.update(path.relative(PACK_DIR, file)).update("\0").update(fs.readFileSync(file)).update("\0");
    }
    return path.join(PACK_DIR, "bin", hash.digest("hex").slice(0, 16));
}

/** Compiles the sources into `dir` with the pack's own TypeScript. */
function build(dir) {
    const tmp = `${dir}.tmp-${process.pid}`;
    const tsc = require.resolve("typescript/bin/tsc", { paths: [PACK_DIR] });
    const result = childProcess.spawnSync(process.execPath, [tsc, "-p", BUILD_CONFIG, "--outDir", tmp], {
        cwd: PACK_DIR,
        encoding: "utf8",
    });
    if (result.status !== 0) {
        fs.rmSync(tmp, { recursive: true, force: true });
        throw new Error(`the policy pack does not compile (tsc -p ${BUILD_CONFIG}):\n${result.stdout}${result.stderr}`);
    }
    try {
        fs.renameSync(tmp, dir);
        pruneOtherBuilds(dir);
    } catch (error) {
        // Another preview built the same sources first: use its build.
        fs.rmSync(tmp, { recursive: true, force: true });
        if (!fs.existsSync(path.join(dir, "index.js"))) {
            throw error;
        }
    }
}

/** Removes builds of earlier sources, so bin/ holds one build (plus any being written right now). */
function pruneOtherBuilds(keep) {
    for (const name of fs.readdirSync(path.dirname(keep))) {
        if (/^[0-9a-f]{16}$/.test(name) && name !== path.basename(keep)) {
            fs.rmSync(path.join(path.dirname(keep), name), { recursive: true, force: true });
        }
    }
}

/** The compiled pack's folder, built first when missing. */
function ensureBuilt() {
    const dir = buildDir();
    if (!fs.existsSync(path.join(dir, "index.js"))) {
        build(dir);
    }
    return dir;
}

if (require.main === module) {
    // `node policy/pack.js` (scripts/bootstrap, `npm run build`): build only, print where.
    console.log(path.relative(process.cwd(), ensureBuilt()));
} else {
    require(path.join(ensureBuilt(), "index.js"));
}
