// The program's entry point for the Pulumi CLI (Pulumi.yaml `main`): index.ts compiled to JavaScript, built on
// demand and kept while its sources are unchanged (scripts/lib/compiled-program.js). Its exports are the
// stack outputs: the CLI reads them from this, the main module.
"use strict";
module.exports = require("./scripts/lib/compiled-program.js").run("index.ts");
