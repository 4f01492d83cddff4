// The TypeScript compiler as @pulumi/pulumi sees it (preload.js): run-policy-pack reads only its version and
// the tsconfig's compiler options, which feed nothing but ts-node's no-op registration (ts-node.js), so those
// answer without loading the compiler; anything else (function serialization) loads it on first use.
"use strict";
const { loadReal } = require("./preload.js");

const fast = {
    // Only compared with 4.7 to pick ts-node's module option, which the no-op registration ignores.
    version: "5.9.3",
    parseConfigFileTextToJson: () => ({ config: {} }),
};
let compiler;
module.exports = new Proxy(fast, {
    get(target, property) {
        if (property in target) {
            return target[property];
        }
        compiler ??= loadReal("typescript");
        return compiler[property];
    },
});
