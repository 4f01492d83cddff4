// Preloaded (runtime.options.nodeargs) into the node of the policy host (PulumiPolicy.yaml) and of the program
// (Pulumi.yaml) to cut their time. @pulumi/pulumi, for function serialization, which neither does, loads the
// TypeScript compiler and npm's Arborist eagerly (about 0.4 s each here) and opens an inspector session with
// the debugger on before loading the program (every module after it compiles more slowly: about 0.13 s over
// the platform's). The policy host's cmd/run-policy-pack always registers ts-node with type checking although
// pack.js loads only compiled JavaScript. The SDK's entry scripts install source-map-support, which then maps
// every frame of the stack traces the SDK takes at each registration and promise through the SDK's own source
// maps (over a second for the platform's 88 resources), only so that the SDK's internal errors name its .ts
// files. Only those requests, made from @pulumi/pulumi's own files, are answered by the files beside this one
// (the compiler, Arborist and the inspector session still come on first use). Measurements:
// docs/preview-performance.md.
"use strict";
const path = require("node:path");
const { enableCompileCache, registerHooks } = require("node:module");
const { fileURLToPath, pathToFileURL } = require("node:url");

const REPLACEMENTS = {
    typescript: "typescript.js",
    "ts-node": "ts-node.js",
    "@npmcli/arborist": "arborist.js",
    "source-map-support/register": "no-source-maps.js",
    // As cmd/run and cmd/run-policy-pack name it; the SDK's own closure code requires "./v8Hooks", the real one.
    "../../runtime/closure/v8Hooks": "lazy-v8-hooks.js",
};
/** The replacements that load the real module later: where it resolves is kept for loadReal. */
const DEFERRED = new Set(["typescript.js", "arborist.js", "lazy-v8-hooks.js"]);
const SDK_FILE = /[/\\]node_modules[/\\]@pulumi[/\\]pulumi[/\\]/;
/** Where the SDK's request would have gone: the replacements load it from there on first use. */
const realPaths = new Map();

registerHooks({
    resolve(specifier, context, nextResolve) {
        const replacement = REPLACEMENTS[specifier];
        if (!replacement || !context.parentURL || !SDK_FILE.test(context.parentURL)) {
            return nextResolve(specifier, context);
        }
        if (DEFERRED.has(replacement)) {
            // Resolved as the SDK would: a missing module fails here as it would have (the SDK then falls back).
            realPaths.set(specifier, fileURLToPath(nextResolve(specifier, context).url));
        }
        return { url: pathToFileURL(path.join(__dirname, replacement)).href, format: "commonjs", shortCircuit: true };
    },
});

// V8's compiled code for every module loaded after this line (the SDK, gRPC, the provider SDK, the program
// or the pack), kept on disk and reused by the next run: @pulumi/pulumi alone is ~0.2 s to load and compile.
// Entries are keyed by each file's content, so an edit or an upgrade never runs stale code. Under the repo's
// ignored .state/; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
enableCompileCache(path.resolve(__dirname, "..", "..", ".state", "node-compile-cache"));

/** The real module the SDK asked for, loaded now. */
exports.loadReal = (specifier) => require(realPaths.get(specifier));
