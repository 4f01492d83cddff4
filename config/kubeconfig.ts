// Checks blog:kubeconfig before any resource exists: a path must name a readable kubeconfig file and
// inline content must parse, or the provider would silently fall back and plan every object as a create.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import type { Problems } from "./problems";

/** How config reaches files it names; tests pass their own. */
export interface FileReader {
    /** The file's text, or undefined when it does not exist or cannot be read. */
    read(file: string): string | undefined;
    /** Where relative paths start: the project directory the CLI runs the program in. */
    cwd: string;
}

export const localFiles: FileReader = {
    read: (file) => {
        try {
            return fs.readFileSync(file, "utf8");
        } catch {
            return undefined;
        }
    },
    cwd: process.cwd(),
};

const HINT = "Run: scripts/cluster up (it writes .cluster/kubeconfig), or pulumi config set kubeconfig <path to your kubeconfig>";

/**
 * The kubeconfig to hand the provider (an absolute path, or the inline content), or undefined for the
 * ambient one; problems are recorded, and inline content is never echoed (it may hold credentials).
 */
export function checkKubeconfig(
    value: string | undefined,
    context: string | undefined,
    files: FileReader,
    p: Problems,
): string | undefined {
    if (value === undefined) {
        return undefined;
    }
    const inline = value.includes("\n") || /^\s*(apiVersion|kind|clusters)\s*:/.test(value) || value.trimStart().startsWith("{");
    const file = path.resolve(files.cwd, value.replace(/^~(?=\/)/, os.homedir()));
    const content = inline ? value : files.read(file);
    const shown = inline ? `[inline kubeconfig, ${value.length} characters]` : value;
    if (content === undefined) {
        p.add("kubeconfig", `name an existing kubeconfig file (${file} does not exist or cannot be read)`, shown, HINT);
        return undefined;
    }
    let parsed: unknown;
    try {
        parsed = parse(content);
    } catch (error) {
        const reason = (error as Error).message.split("\n")[0];
        p.add("kubeconfig", `be a kubeconfig that parses as YAML (${reason})`, shown, HINT);
        return undefined;
    }
    const contexts = (parsed as { contexts?: { name?: unknown }[] } | null)?.contexts;
    if (typeof parsed !== "object" || parsed === null || !Array.isArray((parsed as { clusters?: unknown }).clusters)) {
        p.add("kubeconfig", "be a kubeconfig with a clusters list", shown, HINT);
        return undefined;
    }
    if (context !== undefined && !(contexts ?? []).some((c) => c?.name === context)) {
        const names = (contexts ?? []).map((c) => String(c?.name)).join(", ") || "none";
        p.add(
            "kubeContext",
            `name a context of the kubeconfig (${names})`,
            context,
            "Run: pulumi config set kubeContext <context>, or pulumi config rm kubeContext",
        );
    }
    return inline ? value : file;
}
