// The TypeScript compiler as @pulumi/pulumi sees it in the policy host (preload.js): run-policy-pack reads only
// its version and the tsconfig's compiler options, which feed nothing but ts-node's no-op registration
// (ts-node.js), so those answer without loading the compiler; anything else (function serialization, which
// a pack never does) loads the real compiler on first use.
"use strict";

const fast = {
    version: require("typescript/package.json").version,
    parseConfigFileTextToJson: () => ({ config: {} }),
};
let compiler;
module.exports = new Proxy(fast, {
    get(target, property) {
        if (property in target) {
            return target[property];
        }
        compiler ??= require("typescript");
        return compiler[property];
    },
});
