// ts-node for the policy host (preload.js): the pack is compiled JavaScript (pack.js), so registering the
// TypeScript hook would load the compiler for no file; registration does nothing. (The program does not
// register ts-node at all: Pulumi.yaml sets typescript: false.)
"use strict";
module.exports = { VERSION: "10.9.2", register: () => undefined };
