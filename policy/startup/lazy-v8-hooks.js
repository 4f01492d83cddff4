// @pulumi/pulumi's runtime/closure/v8Hooks as the SDK's entry scripts (cmd/run, cmd/run-policy-pack) see it
// (preload.js). They await isInitializedAsync() before loading the program or the pack, which opens an inspector
// session with the debugger enabled so that function serialization can map script ids to files; with the
// debugger on, V8 compiles every module after it more slowly. Neither the program nor the pack serializes
// functions, so here the session opens on first use (getSessionAsync, from the SDK's closure code). Its
// scriptParsed listener is attached before the debugger is enabled, which then reports every script already
// loaded: a function from a module loaded before the session still gets its file. The SDK's closure code holds
// this same exports object, so the three functions are replaced on it.
"use strict";
const { loadReal } = require("./preload.js");

const hooks = loadReal("../../runtime/closure/v8Hooks");
const scriptUrls = new Map();
let session;

async function openSession() {
    const inspector = require("node:inspector");
    const opened = new inspector.Session();
    opened.connect();
    opened.on("Debugger.scriptParsed", ({ params }) => scriptUrls.set(params.scriptId, params.url));
    await new Promise((resolve, reject) => opened.post("Debugger.enable", (error) => (error ? reject(error) : resolve())));
    return opened;
}

hooks.isInitializedAsync = async () => {};
hooks.getSessionAsync = () => {
    session ??= openSession();
    return session;
};
hooks.getScriptUrl = (id) => scriptUrls.get(id);
module.exports = hooks;
