// The platform program of index.ts, run by scripts/bench-preview.ts through ts-node as the CLI ran it before
// program.js: the "before" of the benchmark's before/after, in the same run.
export * from "../../../index";
