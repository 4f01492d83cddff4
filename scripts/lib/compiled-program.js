// Runs a TypeScript program compiled to JavaScript (program.js, the CLI's entry, runs index.ts with it), so a
// preview does not load ts-node and transpile every file again (docs/preview-performance.md). Plain
// JavaScript because it must run before anything is compiled. A build lives in bin/program/<entry>/<hash>/
// (git-ignored), keyed by the content of every file the entry reaches, so an edit always gets a new build;
// a missing or stale build is made here (SWC, the transpiler ts-node already uses: a fraction of a second),
// into a temporary folder renamed into place, so concurrent previews never read a half-written build.
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");
/** The list of sources a build was made from (repo-relative), kept beside it to check it on the next run. */
const SOURCES_FILE = "sources.json";

/** Hash of the sources (and of this launcher and the transpiler's version, which shape the output). */
function contentHash(sources, swcVersion) {
    const hash = crypto.createHash("sha256");
    hash.update(fs.readFileSync(__filename)).update("\0").update(swcVersion).update("\0");
    for (const file of sources) {
        hash.update(file).update("\0").update(fs.readFileSync(path.join(ROOT, file))).update("\0");
    }
    return hash.digest("hex").slice(0, 16);
}

/** A build whose recorded sources still hash to its name, if any: the common case, no transpiler loaded. */
function currentBuild(builds) {
    let names;
    try {
        names = fs.readdirSync(builds).filter((name) => /^[0-9a-f]{16}$/.test(name));
    } catch {
        return undefined;
    }
    for (const name of names) {
        try {
            const { swcVersion, sources } = JSON.parse(fs.readFileSync(path.join(builds, name, SOURCES_FILE), "utf8"));
            if (contentHash(sources, swcVersion) === name) {
                return path.join(builds, name);
            }
        } catch {
            // A source was removed or the record is unreadable: this build is stale.
        }
    }
    return undefined;
}

/** SWC options equal to what ts-node (tsconfig.json's "swc": true) uses for our tsconfig: es2022, CommonJS, esModuleInterop. */
const SWC_OPTIONS = {
    swcrc: false,
    // No source maps: the SDK's source-map-support would read and apply them to the stack trace it takes
    // at every registration (over a second of a preview); traces name bin/program/<hash>/*.js, which keeps
    // each source's path and shape.
    sourceMaps: false,
    module: { type: "commonjs", noInterop: false, strictMode: true },
    jsc: {
        parser: { syntax: "typescript", tsx: false, dynamicImport: true },
        target: "es2022",
        keepClassNames: true,
        transform: { useDefineForClassFields: true },
    },
};

/** The repo-relative .ts file a relative require resolves to, as Node would resolve the compiled .js. */
function resolveSource(fromFile, specifier) {
    const base = path.join(path.dirname(fromFile), specifier);
    for (const candidate of [`${base}.ts`, path.join(base, "index.ts")]) {
        if (fs.existsSync(path.join(ROOT, candidate))) {
            return candidate;
        }
    }
    return undefined;
}

/** Transpiles every file `entry` reaches through relative imports into a new build folder; returns it. */
function build(entry, builds) {
    const swc = require("@swc/core");
    const outputs = new Map();
    const pending = [entry];
    while (pending.length > 0) {
        const file = pending.pop();
        if (outputs.has(file)) {
            continue;
        }
        const { code } = swc.transformSync(fs.readFileSync(path.join(ROOT, file), "utf8"), {
            ...SWC_OPTIONS,
            filename: path.join(ROOT, file),
        });
        outputs.set(file, code);
        for (const [, specifier] of code.matchAll(/require\("(\.{1,2}\/[^"]*)"\)/g)) {
            const source = resolveSource(file, specifier);
            if (source) {
                pending.push(source);
            }
        }
    }
    const sources = [...outputs.keys()].sort();
    const dir = path.join(builds, contentHash(sources, swc.version));
    const tmp = `${dir}.tmp-${process.pid}`;
    for (const [file, code] of outputs) {
        const out = path.join(tmp, file.replace(/\.ts$/, ".js"));
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.writeFileSync(out, code);
    }
    fs.writeFileSync(path.join(tmp, SOURCES_FILE), JSON.stringify({ swcVersion: swc.version, sources }, null, 1));
    try {
        fs.renameSync(tmp, dir);
        pruneOtherBuilds(dir);
    } catch (error) {
        // Another preview built the same sources first: use its build.
        fs.rmSync(tmp, { recursive: true, force: true });
        if (!fs.existsSync(path.join(dir, SOURCES_FILE))) {
            throw error;
        }
    }
    return dir;
}

/** Removes builds of earlier sources, so an entry keeps one build (plus any being written right now). */
function pruneOtherBuilds(keep) {
    const builds = path.dirname(keep);
    for (const name of fs.readdirSync(builds)) {
        if (/^[0-9a-f]{16}$/.test(name) && name !== path.basename(keep)) {
            fs.rmSync(path.join(builds, name), { recursive: true, force: true });
        }
    }
}

/** The compiled folder of `entry` (a .ts file relative to the repo), built first when missing or stale. */
function ensureBuilt(entry) {
    const builds = path.join(ROOT, "bin", "program", entry.replace(/\.ts$/, "").replace(/[^A-Za-z0-9]+/g, "-"));
    return currentBuild(builds) ?? build(entry, builds);
}

/** Loads `entry` compiled and returns its exports (a program's exports are its stack outputs). */
function run(entry) {
    return require(path.join(ensureBuilt(entry), entry.replace(/\.ts$/, ".js")));
}

module.exports = { ensureBuilt, run };

if (require.main === module) {
    // `node scripts/lib/compiled-program.js [entry.ts]`: build only (default index.ts), print where.
    console.log(path.relative(process.cwd(), ensureBuilt(process.argv[2] ?? "index.ts")));
}
