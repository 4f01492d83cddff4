// The program's entry point for the Pulumi CLI (Pulumi.yaml `main`): runs index.ts compiled to JavaScript,
// so a preview does not load ts-node, transpile every file again and map every stack trace through
// source maps (together over a second of a preview: docs/preview-performance.md). Plain JavaScript
// because it must run before anything is compiled. The build lives in bin/program/<hash>/ (git-ignored),
// keyed by the content of every file index.ts reaches, so an edit always gets a new build; a missing or
// stale build is made here (SWC, the transpiler ts-node already uses: tens of milliseconds), into a
// temporary folder renamed into place, so concurrent previews never read a half-written build.
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = __dirname;
const BUILDS = path.join(ROOT, "bin", "program");
const ENTRY = "index.ts";
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
function currentBuild() {
    let names;
    try {
        names = fs.readdirSync(BUILDS).filter((name) => /^[0-9a-f]{16}$/.test(name));
    } catch {
        return undefined;
    }
    for (const name of names) {
        try {
            const { swcVersion, sources } = JSON.parse(fs.readFileSync(path.join(BUILDS, name, SOURCES_FILE), "utf8"));
            if (contentHash(sources, swcVersion) === name) {
                return path.join(BUILDS, name);
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
    sourceMaps: true,
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

/** Transpiles every file ENTRY reaches through relative imports into a new build folder; returns it. */
function build() {
    const swc = require("@swc/core");
    const outputs = new Map();
    const pending = [ENTRY];
    while (pending.length > 0) {
        const file = pending.pop();
        if (outputs.has(file)) {
            continue;
        }
        const { code, map } = swc.transformSync(fs.readFileSync(path.join(ROOT, file), "utf8"), {
            ...SWC_OPTIONS,
            filename: path.join(ROOT, file),
        });
        outputs.set(file, { code, map });
        for (const [, specifier] of code.matchAll(/require\("(\.{1,2}\/[^"]*)"\)/g)) {
            const source = resolveSource(file, specifier);
            if (source) {
                pending.push(source);
            }
        }
    }
    const sources = [...outputs.keys()].sort();
    const dir = path.join(BUILDS, contentHash(sources, swc.version));
    const tmp = `${dir}.tmp-${process.pid}`;
    for (const [file, { code, map }] of outputs) {
        const out = path.join(tmp, file.replace(/\.ts$/, ".js"));
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.writeFileSync(out, `${code}\n//# sourceMappingURL=${path.basename(out)}.map\n`);
        fs.writeFileSync(`${out}.map`, map);
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

/** Removes builds of earlier sources, so bin/program holds one build (plus any being written right now). */
function pruneOtherBuilds(keep) {
    for (const name of fs.readdirSync(BUILDS)) {
        if (/^[0-9a-f]{16}$/.test(name) && name !== path.basename(keep)) {
            fs.rmSync(path.join(BUILDS, name), { recursive: true, force: true });
        }
    }
}

/** The compiled program's folder, built first when missing or stale. */
function ensureBuilt() {
    return currentBuild() ?? build();
}

if (require.main === module) {
    // `node program.js` (scripts/bootstrap): build only, print where.
    console.log(path.relative(process.cwd(), ensureBuilt()));
} else {
    // The entry's exports are the stack outputs: the CLI reads them from this, the main module.
    module.exports = require(path.join(ensureBuilt(), ENTRY.replace(/\.ts$/, ".js")));
}
