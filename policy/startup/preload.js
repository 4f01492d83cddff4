// Preloaded into the policy host's node (PulumiPolicy.yaml runtime.options.nodeargs) to cut the pack's start:
// @pulumi/pulumi's cmd/run-policy-pack always registers ts-node with type checking, which loads the TypeScript
// compiler (about 0.7 s of a 2 s start here) although pack.js loads only compiled JavaScript, and
// @pulumi/pulumi loads npm's Arborist (about 0.4 s) for function serialization, which a policy pack never
// does. Only those requests, made from @pulumi/pulumi's own files, are answered by the files beside this one.
// Measurements: docs/preview-performance.md.
"use strict";
const path = require("node:path");
const { registerHooks } = require("node:module");
const { pathToFileURL } = require("node:url");

const REPLACEMENTS = {
    typescript: "typescript.js",
    "ts-node": "ts-node.js",
    "@npmcli/arborist": "arborist.js",
};
const SDK_FILE = /[/\\]node_modules[/\\]@pulumi[/\\]pulumi[/\\]/;

registerHooks({
    resolve(specifier, context, nextResolve) {
        const replacement = REPLACEMENTS[specifier];
        if (replacement && context.parentURL && SDK_FILE.test(context.parentURL)) {
            return { url: pathToFileURL(path.join(__dirname, replacement)).href, format: "commonjs", shortCircuit: true };
        }
        return nextResolve(specifier, context);
    },
});
