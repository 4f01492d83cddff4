// The docs check (test/unit/docs.test.ts): links through remark-validate-links (the remark CLI, so
// headings in other files are checked too; settings in .remarkrc.json), and repository paths cited in
// code spans, read from remark's syntax tree rather than by a regex over the raw text.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { remark } from "remark";

export { REPO_ROOT, trackedFiles, trackedMarkdown } from "../../harness/repo-files";
import { REPO_ROOT, trackedFiles } from "../../harness/repo-files";

/** The folder every tracked path starts in: what a cited repository path starts with. */
export function topLevelEntries(root = REPO_ROOT): Set<string> {
    return new Set(
        trackedFiles(undefined, root)
            .filter((file) => file.includes("/"))
            .map((file) => file.split("/")[0]),
    );
}

/** The code block that follows the README's "Layout" heading. */
export function layoutBlock(readme: string): string {
    const nodes = remark().parse(readme).children;
    const heading = nodes.findIndex(
        (node) => node.type === "heading" && node.children.some((child) => child.type === "text" && child.value === "Layout"),
    );
    const block = nodes.slice(heading + 1).find((node) => node.type === "code" || node.type === "heading");
    if (heading < 0 || block?.type !== "code") {
        throw new Error('README.md has no code block right under a "Layout" heading');
    }
    return block.value;
}

/**
 * Broken links (a missing file, or a heading no file has) in `files`, one line each as remark reports
 * them (`file` then `line:column warning message`). Empty when every link resolves.
 */
export function brokenLinks(files: string[], cwd = REPO_ROOT): string[] {
    const cli = path.join(REPO_ROOT, "node_modules", "remark-cli", "cli.js");
    const run = spawnSync(
        process.execPath,
        [cli, "--rc-path", path.join(REPO_ROOT, ".remarkrc.json"), "--frail", "--quiet", "--no-stdout", "--no-color", ...files],
        { cwd, encoding: "utf8" },
    );
    if (run.status === 0) {
        return [];
    }
    const lines = run.stderr.split("\n").filter((line) => line.trim() !== "" && !/^⚠ \d+ warnings?$/.test(line.trim()));
    if (!lines.some((line) => line.includes("remark-validate-links"))) {
        throw new Error(`remark exited with ${run.status} without a link finding:\n${run.stderr}`);
    }
    return lines;
}

export interface CitedPath {
    file: string;
    line: number;
    cited: string;
}

// What a cited path may carry after it: a line (`platform.ts:806`) or a heading (`README.md#times`).
const SUFFIX = /(?::\d+(?:-\d+)?|#[\w-]+)$/;
// A path and nothing else: no spaces, placeholders (`services/<name>`), globs or variables.
const PLAIN_PATH = /^[\w.@+-]+(?:\/[\w.@+-]+)*\/?$/;

/**
 * Code spans of `text` (the Markdown file `file`) that name a path in the repository: a plain path
 * whose first segment is one of the repository's top-level entries (`topLevel`), like
 * `scripts/toolchain/promtool.sh`. Other code (commands, `~/.cache/...`, `/usr/...`) is not a citation.
 */
export function citedPaths(file: string, text: string, topLevel: ReadonlySet<string>): CitedPath[] {
    const found: CitedPath[] = [];
    const visit = (node: { type: string; value?: string; position?: { start: { line: number } }; children?: unknown[] }) => {
        if (node.type === "inlineCode" && node.value !== undefined) {
            const cited = node.value.trim().replace(SUFFIX, "");
            if (cited.includes("/") && PLAIN_PATH.test(cited) && topLevel.has(cited.split("/")[0])) {
                found.push({ file, line: node.position?.start.line ?? 0, cited });
            }
        }
        for (const child of (node.children ?? []) as (typeof node)[]) {
            visit(child);
        }
    };
    visit(remark().parse(text));
    return found;
}

/**
 * The citations that name nothing: neither relative to the citing file's folder nor to the repository
 * root is there such a file or folder, and git does not ignore it (an ignored path is a build output,
 * like `policy/bin`, which a clone does not have until it is built).
 */
export function missingCitations(citations: CitedPath[], root = REPO_ROOT): CitedPath[] {
    const absent = citations.filter(
        (c) => !fs.existsSync(path.join(root, path.dirname(c.file), c.cited)) && !fs.existsSync(path.join(root, c.cited)),
    );
    if (absent.length === 0) {
        return [];
    }
    // check-ignore prints the paths it ignores; exit 1 means none is ignored.
    const run = spawnSync("git", ["check-ignore", "--no-index", "--stdin"], {
        cwd: root,
        // Both forms: a pattern like `bin/` matches only a folder, and an absent path is of no kind.
        input: absent.flatMap((c) => [c.cited, `${c.cited.replace(/\/$/, "")}/`]).join("\n"),
        encoding: "utf8",
    });
    if (run.status !== 0 && run.status !== 1) {
        throw new Error(`git check-ignore failed in ${root}: ${run.stderr.trim()}`);
    }
    const ignored = new Set(run.stdout.split("\n").filter((line) => line !== ""));
    return absent.filter((c) => !ignored.has(c.cited) && !ignored.has(`${c.cited.replace(/\/$/, "")}/`));
}
