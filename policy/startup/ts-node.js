// ts-node for a pack that loads only JavaScript (preload.js): registering it would load the TypeScript
// compiler for no file, so registration does nothing.
"use strict";
module.exports = { VERSION: "10.9.2", register: () => undefined };
