// What the scripts and tests run on the host, and where each command comes from. The shell side is read
// by toolchain/host-commands (mvdan.cc/sh, a real bash parser); the TypeScript side here, with the
// TypeScript compiler's parser. Resolution asks dpkg which package owns each command and compares that
// with the fresh machine's package list and with what scripts/toolchain/debian.sh installs.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

export interface Call {
    file: string;
    line: number;
    command: string;
}

/** Commands that run the command named in a later argument (nsenter -t PID -n redis-cli ...). */
const EXEC_WRAPPERS = new Set(["nsenter", "ip", "env", "nice", "timeout", "setsid", "unshare", "sudo", "xargs", "flock", "stdbuf"]);
const CHILD_PROCESS_MODULES = new Set(["child_process", "node:child_process"]);
/** child_process functions whose first argument is a whole shell command line, not a program. */
const SHELL_STRING_LAUNCHERS = new Set(["exec", "execSync"]);

const calleeName = (call: ts.CallExpression): string | undefined => {
    const callee = call.expression;
    if (ts.isIdentifier(callee)) return callee.text;
    if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
    return undefined;
};

const lineOf = (source: ts.SourceFile, node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;

/** Launchers a file imports from child_process (named imports, or `cp.spawnSync` through a namespace import). */
function childProcessImports(source: ts.SourceFile): { names: Set<string>; namespaces: Set<string> } {
    const names = new Set<string>();
    const namespaces = new Set<string>();
    for (const statement of source.statements) {
        if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
        if (!CHILD_PROCESS_MODULES.has(statement.moduleSpecifier.text)) continue;
        const bindings = statement.importClause?.namedBindings;
        if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) names.add(element.name.text);
        if (bindings && ts.isNamespaceImport(bindings)) namespaces.add(bindings.name.text);
    }
    return { names, namespaces };
}

type FunctionLike = ts.FunctionDeclaration | ts.MethodDeclaration | ts.ArrowFunction | ts.FunctionExpression;

const functionName = (fn: FunctionLike): string | undefined => {
    if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
    if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
    return undefined;
};

const mentions = (node: ts.Node | undefined, name: string): boolean => {
    if (!node) return false;
    if (ts.isIdentifier(node) && node.text === name) return true;
    return ts.forEachChild(node, (child) => mentions(child, name) || undefined) ?? false;
};

/**
 * Host commands named by string literals in TypeScript sources: the first argument of a child_process
 * launcher (spawnSync("kubectl", ...)), the first word of a shell string (execSync("ip link ...")), the
 * command after an exec wrapper (spawnSync("nsenter", ["-t", pid, "-n", "redis-cli"])), and the argument
 * of the project's own launchers: any function whose parameter reaches a launcher as the program (found
 * here, to a fixed point, so a new helper needs no list to be kept).
 */
export function typescriptCalls(files: Record<string, string>): Call[] {
    const sources = Object.entries(files).map(([file, text]) => ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true));
    // launcher name -> index of the argument that names the program
    const launchers = new Map<string, number>();
    const isLauncher = (call: ts.CallExpression, imports: ReturnType<typeof childProcessImports>) => {
        const name = calleeName(call);
        if (name === undefined) return undefined;
        const callee = call.expression;
        const fromChildProcess =
            (ts.isIdentifier(callee) && imports.names.has(name)) ||
            (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && imports.namespaces.has(callee.expression.text));
        if (fromChildProcess) return 0;
        return launchers.get(name);
    };
    const programArgument = (call: ts.CallExpression, index: number): ts.Expression | undefined => call.arguments[index];

    // Fixed point: a function is a launcher when one of its parameters is the program of a launcher call
    // in its body, or follows an exec wrapper in that call's arguments.
    for (let changed = true; changed; ) {
        changed = false;
        for (const source of sources) {
            const imports = childProcessImports(source);
            const visit = (node: ts.Node) => {
                if (
                    ts.isFunctionDeclaration(node) ||
                    ts.isMethodDeclaration(node) ||
                    ts.isArrowFunction(node) ||
                    ts.isFunctionExpression(node)
                ) {
                    const name = functionName(node);
                    if (name && !launchers.has(name)) {
                        node.parameters.forEach((parameter, index) => {
                            if (!ts.isIdentifier(parameter.name) || launchers.has(name)) return;
                            const param = parameter.name.text;
                            const reaches = (inner: ts.Node): boolean => {
                                if (ts.isCallExpression(inner)) {
                                    const at = isLauncher(inner, imports);
                                    if (at !== undefined) {
                                        const program = programArgument(inner, at);
                                        if (program && ts.isIdentifier(program) && program.text === param) return true;
                                        if (program && ts.isStringLiteralLike(program) && EXEC_WRAPPERS.has(program.text)) {
                                            if (inner.arguments.slice(at + 1).some((arg) => mentions(arg, param))) return true;
                                        }
                                    }
                                }
                                return ts.forEachChild(inner, (child) => reaches(child) || undefined) ?? false;
                            };
                            if (node.body && reaches(node.body)) {
                                launchers.set(name, index);
                                changed = true;
                            }
                        });
                    }
                }
                ts.forEachChild(node, visit);
            };
            visit(source);
        }
    }

    const calls: Call[] = [];
    for (const source of sources) {
        const imports = childProcessImports(source);
        const visit = (node: ts.Node) => {
            if (ts.isCallExpression(node)) {
                const at = isLauncher(node, imports);
                const program = at === undefined ? undefined : programArgument(node, at);
                if (program && ts.isStringLiteralLike(program)) {
                    const name = calleeName(node) ?? "";
                    const isShellString = imports.names.has(name) && SHELL_STRING_LAUNCHERS.has(name);
                    const words = isShellString ? program.text.trim().split(/\s+/) : [program.text];
                    const rest = node.arguments[at! + 1];
                    if (!isShellString && EXEC_WRAPPERS.has(program.text) && rest && ts.isArrayLiteralExpression(rest)) {
                        words.push(...rest.elements.filter(ts.isStringLiteralLike).map((element) => element.text));
                    }
                    for (const command of commandsOfWords(words))
                        calls.push({ file: source.fileName, line: lineOf(source, node), command });
                }
            }
            ts.forEachChild(node, visit);
        };
        visit(source);
    }
    return calls;
}

const COMMAND_NAME = /^[A-Za-z_][A-Za-z0-9_.+-]*$|^\/[A-Za-z0-9_./+-]+$/;

/** The program a word list runs, and what an exec wrapper at its head runs (the same rules as toolchain/host-commands). */
export function commandsOfWords(words: string[]): string[] {
    const found: string[] = [];
    let i = 0;
    while (i < words.length && COMMAND_NAME.test(words[i])) {
        const name = words[i];
        found.push(name);
        if (name === "ip") {
            if (words[i + 1] === "netns" && words[i + 2] === "exec") {
                i += 4;
                continue;
            }
            break;
        }
        if (!EXEC_WRAPPERS.has(name)) break;
        i++;
        // Options, VAR=value and numbers (nsenter -t 1234 -n, nice -n 10, timeout 30): the program is the next plain word.
        while (i < words.length && (words[i].startsWith("-") || words[i].includes("=") || /^[0-9.]+[smhd]?$/.test(words[i]))) {
            i += ["-n", "-s", "-w", "-t", "-u", "-k"].includes(words[i]) && name !== "nsenter" ? 2 : 1;
        }
    }
    return found;
}

export interface ShellReport {
    calls: Call[];
    functions: string[];
}

/** The shell scripts' calls, through toolchain/host-commands (go run, cached by Go's build cache). */
export function shellCalls(root: string, files: string[]): ShellReport {
    const tool = path.join(root, "toolchain/host-commands");
    const run = spawnSync("go", ["run", ".", ...files.map((file) => path.join(root, file))], {
        cwd: tool,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, GOFLAGS: "-mod=mod" },
    });
    if (run.error) throw new Error(`go run toolchain/host-commands: ${run.error.message} (go is on a fresh machine at /usr/local/go/bin)`);
    if (run.status !== 0) throw new Error(`go run toolchain/host-commands failed: ${run.stderr.trim()}`);
    const report = JSON.parse(run.stdout) as ShellReport;
    return { ...report, calls: report.calls.map((call) => ({ ...call, file: path.relative(root, call.file) })) };
}

/** The Debian packages of the fresh machine's list (lines "apt<TAB>name[:arch]<TAB>version"). */
export function freshPackages(listText: string): Set<string> {
    const names = new Set<string>();
    for (const line of listText.split("\n")) {
        const [kind, name] = line.split("\t");
        if (kind === "apt" && name) names.add(name.replace(/:[a-z0-9]+$/, ""));
    }
    return names;
}

/** debian.sh's pairs, as `debian.sh --list` prints them: package=command. */
export function installedPairs(listText: string): { pkg: string; command: string }[] {
    return listText
        .split("\n")
        .filter((line) => line.includes("="))
        .map((line) => ({ pkg: line.slice(0, line.indexOf("=")), command: line.slice(line.indexOf("=") + 1) }));
}

export type Origin =
    | { kind: "shell" }
    | { kind: "built"; where: string }
    | { kind: "package"; pkg: string; path: string }
    | { kind: "unowned"; path: string }
    | { kind: "missing" };

export interface Machine {
    /** bash builtins and keywords, and the scripts' own functions */
    shellWords: Set<string>;
    /** folders whose programs the project's scripts put there (the tools' bin, node_modules/.bin, the repo) */
    builtDirs: string[];
    searchPath: string[];
    /** the package dpkg says owns a path, if any */
    ownerOf: (file: string) => string | undefined;
}

/** Where a command comes from on this machine. */
export function originOf(command: string, machine: Machine): Origin {
    if (machine.shellWords.has(command)) return { kind: "shell" };
    const candidates = command.startsWith("/") ? [command] : machine.searchPath.map((dir) => path.join(dir, command));
    for (const candidate of candidates) {
        if (!existsSync(candidate) || statSync(candidate).isDirectory()) continue;
        const built = machine.builtDirs.find((dir) => candidate.startsWith(`${dir}/`));
        if (built) return { kind: "built", where: built };
        const real = realpathSync(candidate);
        const merged = (file: string) => [file, file.replace(/^\/usr\//, "/"), file.replace(/^\/(bin|sbin|lib)\//, "/usr/$1/")];
        for (const file of [...merged(candidate), ...merged(real)]) {
            const pkg = machine.ownerOf(file);
            if (pkg) return { kind: "package", pkg, path: candidate };
        }
        return { kind: "unowned", path: real };
    }
    return { kind: "missing" };
}

export function dpkgOwner(file: string): string | undefined {
    const run = spawnSync("dpkg-query", ["-S", file], { encoding: "utf8" });
    if (run.status !== 0) return undefined;
    // "diversion by dash from: /bin/sh" lines say who diverted a file, not who owns it.
    const line = run.stdout.split("\n").find((l) => l.endsWith(`: ${file}`) && !l.startsWith("diversion by "));
    return line
        ?.slice(0, line.indexOf(":"))
        .split(",")[0]
        .trim()
        .replace(/:[a-z0-9]+$/, "");
}

export function shellWordsOfBash(): Set<string> {
    const run = spawnSync("bash", ["-c", "compgen -b; compgen -k"], { encoding: "utf8" });
    return new Set(run.stdout.split("\n").filter(Boolean));
}

/** The repository's files, as git tracks them. */
export function trackedFiles(root: string): string[] {
    const run = spawnSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" });
    if (run.status !== 0) throw new Error(`git ls-files failed: ${run.stderr}`);
    return run.stdout.split("\0").filter((file) => file && existsSync(path.join(root, file)));
}

export const isShellScript = (root: string, file: string): boolean =>
    file.endsWith(".sh") || /^#!.*\b(ba)?sh\b/.test(readFileSync(path.join(root, file), "utf8").split("\n", 1)[0]);

export const listDir = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir) : []);
