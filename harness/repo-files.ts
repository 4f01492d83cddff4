// The project's own files: what git tracks under the repository's root (docs checks, the fresh-machine
// check, scripts/docs-figures.ts).
import { spawnSync } from "node:child_process";
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..");

/** The files git tracks, relative to the root; `pathspec` narrows them (`*.md`). */
export function trackedFiles(pathspec?: string, root = REPO_ROOT): string[] {
    const run = spawnSync("git", ["ls-files", "-z", ...(pathspec ? ["--", pathspec] : [])], { cwd: root, encoding: "utf8" });
    if (run.status !== 0) {
        throw new Error(`git ls-files failed in ${root}: ${run.stderr.trim()}`);
    }
    return run.stdout.split("\0").filter((file) => file !== "");
}

/** The Markdown files git tracks (build outputs and downloaded sources are not the project's docs). */
export const trackedMarkdown = (root = REPO_ROOT) => trackedFiles("*.md", root);
