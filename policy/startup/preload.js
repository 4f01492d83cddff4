// Preloaded (runtime.options.nodeargs) into the node of the policy host (PulumiPolicy.yaml) and of the program
// (Pulumi.yaml) to cut their time: @pulumi/pulumi loads the TypeScript compiler and npm's Arborist eagerly,
// for function serialization, which neither does (about 0.4 s each here); the policy host's
// cmd/run-policy-pack always registers ts-node with type checking although pack.js loads only compiled
// JavaScript; and the SDK's entry scripts install source-map-support, which then maps every frame of the
// stack traces the SDK takes at each registration and promise through the SDK's own source maps (over a
// second for the platform's 88 resources), only so that the SDK's internal errors name its .ts files.
// Only those requests, made from @pulumi/pulumi's own files, are answered by the files beside this one
// (the first two load the real module on first use). Measurements: docs/preview-performance.md.
"use strict";
const path = require("node:path");
const { registerHooks } = require("node:module");
const { fileURLToPath, pathToFileURL } = require("node:url");

const REPLACEMENTS = {
    typescript: "typescript.js",
    "ts-node": "ts-node.js",
    "@npmcli/arborist": "arborist.js",
    "source-map-support/register": "no-source-maps.js",
};
const SDK_FILE = /[/\\]node_modules[/\\]@pulumi[/\\]pulumi[/\\]/;
/** Where the SDK's request would have gone: the replacements load it from there on first use. */
const realPaths = new Map();

registerHooks({
    resolve(specifier, context, nextResolve) {
        const replacement = REPLACEMENTS[specifier];
        if (!replacement || !context.parentURL || !SDK_FILE.test(context.parentURL)) {
            return nextResolve(specifier, context);
        }
        if (replacement === "typescript.js" || replacement === "arborist.js") {
            // Resolved as the SDK would: a missing module fails here as it would have (the SDK then falls back).
            realPaths.set(specifier, fileURLToPath(nextResolve(specifier, context).url));
        }
        return { url: pathToFileURL(path.join(__dirname, replacement)).href, format: "commonjs", shortCircuit: true };
    },
});

/** The real module the SDK asked for, loaded now. */
exports.loadReal = (specifier) => require(realPaths.get(specifier));
