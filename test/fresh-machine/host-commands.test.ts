// The fresh-machine dependency check (issue 24): every command a script or test runs on the host is on a
// fresh machine of this kind (toolchain/fresh-machine/installed-go.txt, the env entry's package list), is
// installed by scripts/toolchain/debian.sh, or is built by the toolchain scripts into the tools folder.
// Nothing here lists "the commands we use": they are read from the scripts and tests themselves.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    type Call,
    commandsOfWords,
    dpkgOwner,
    freshPackages,
    installedPairs,
    isShellScript,
    type Machine,
    originOf,
    shellCalls,
    shellWordsOfBash,
    trackedFiles,
    typescriptCalls,
} from "./host-commands";
import { requireHostCommand } from "../helpers/host-command";

const ROOT = path.resolve(__dirname, "../..");
const FRESH_LIST = "toolchain/fresh-machine/installed-go.txt";
const TOOLS_DIR = process.env.BLOG_TOOLS_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "blog-platform");
// Not a Debian package, but on every fresh machine of this kind (the env entry: "Go at /usr/local/go").
const FRESH_TOOLCHAINS = ["/usr/local/go/"];

// What runs on the host. Inside images (images/<name>/docker-entrypoint.sh and other files a recipe
// copies in) and inside the services' containers (services/<name>/src) commands come from the image.
const hostShellScript = (file: string) =>
    isShellScript(ROOT, file) && !(file.startsWith("images/") && path.basename(file) !== "recipe.sh") && !file.startsWith("services/");
const hostTypescript = (file: string) =>
    file.endsWith(".ts") && /^(test|scripts|harness|delivery|services\/test)\//.test(file) && !file.includes("node_modules/");

const where = (calls: Call[]) => {
    const places = [...new Set(calls.map((call) => `${call.file}:${call.line}`))];
    return places.slice(0, 3).join(", ") + (places.length > 3 ? ` and ${places.length - 3} more` : "");
};

describe("fresh machine: host commands", function () {
    this.timeout(300_000);
    const fresh = freshPackages(readFileSync(path.join(ROOT, FRESH_LIST), "utf8"));
    const listed = spawnSync("bash", [path.join(ROOT, "scripts/toolchain/debian.sh"), "--list"], { encoding: "utf8" });
    const pairs = installedPairs(listed.stdout);
    const installed = new Set(pairs.map((pair) => pair.pkg));
    let calls: Call[] = [];
    let machine: Machine;

    before(() => {
        assert.equal(listed.status, 0, `scripts/toolchain/debian.sh --list failed: ${listed.stderr}`);
        const files = trackedFiles(ROOT);
        const shell = shellCalls(ROOT, files.filter(hostShellScript));
        const sources = Object.fromEntries(
            files.filter(hostTypescript).map((file) => [file, readFileSync(path.join(ROOT, file), "utf8")] as const),
        );
        calls = [...shell.calls, ...typescriptCalls(sources)];
        machine = {
            shellWords: new Set([...shellWordsOfBash(), ...shell.functions]),
            builtDirs: [TOOLS_DIR, path.join(ROOT, "node_modules/.bin"), ROOT],
            searchPath: [...(process.env.PATH ?? "").split(":").filter(Boolean), "/usr/local/sbin", "/usr/sbin", "/sbin"],
            ownerOf: dpkgOwner,
        };
    });

    it("the fresh machine's package list is the env entry's, and holds the basics", () => {
        // A truncated or wrong copy would make every package look missing or present.
        for (const pkg of ["bash", "coreutils", "dpkg", "apt", "git", "curl"]) assert.ok(fresh.has(pkg), `${FRESH_LIST} lacks ${pkg}`);
        assert.ok(fresh.size > 500, `${FRESH_LIST} lists only ${fresh.size} Debian packages`);
    });

    it("finds the scripts' and tests' host commands (the parsers see real calls)", () => {
        // Five that issue 24 found missing by hand, each called a different way: through a wrapper
        // (nice mmdebstrap), a plain call, a test helper that runs its argument in a netns, an exec wrapper.
        const seen = new Set(calls.map((call) => call.command));
        for (const command of ["mmdebstrap", "ipset", "redis-server", "redis-cli", "runc", "kubectl"]) {
            assert.ok(seen.has(command), `no call of ${command} found; the extractors missed it`);
        }
    });

    it("every host command is on a fresh machine, installed by scripts/toolchain/debian.sh, or built by the scripts", () => {
        const byCommand = new Map<string, Call[]>();
        for (const call of calls) byCommand.set(call.command, [...(byCommand.get(call.command) ?? []), call]);
        const problems: string[] = [];
        for (const [command, at] of [...byCommand].sort(([a], [b]) => a.localeCompare(b))) {
            const origin = originOf(command, machine);
            if (origin.kind === "missing") {
                problems.push(`${command} (called at ${where(at)}) is not installed on this machine, and nothing installs it`);
            } else if (origin.kind === "package" && !fresh.has(origin.pkg) && !installed.has(origin.pkg)) {
                problems.push(
                    `${command} (called at ${where(at)}) comes from Debian package ${origin.pkg}, which a fresh machine lacks ` +
                        `and scripts/toolchain/debian.sh does not install: add ${origin.pkg}=${command} to its DEBIAN_PACKAGES`,
                );
            } else if (origin.kind === "unowned" && !FRESH_TOOLCHAINS.some((dir) => origin.path.startsWith(dir))) {
                problems.push(
                    `${command} (called at ${where(at)}) is ${origin.path}, which no package, toolchain script or fresh machine provides`,
                );
            }
        }
        assert.deepEqual(problems, []);
    });

    it("each package debian.sh installs provides its command and is not already on a fresh machine", () => {
        const problems: string[] = [];
        for (const { pkg, command } of pairs) {
            if (fresh.has(pkg)) problems.push(`${pkg} is on a fresh machine already; drop it from DEBIAN_PACKAGES`);
            const origin = originOf(command, { ...machine, shellWords: new Set() });
            if (origin.kind !== "package" || origin.pkg !== pkg) {
                problems.push(`DEBIAN_PACKAGES says ${pkg} provides ${command}, but here it is ${JSON.stringify(origin)}`);
            }
        }
        assert.deepEqual(problems, []);
    });
});

describe("fresh machine: the command extractors", () => {
    it("reads wrappers in word lists the way bash runs them", () => {
        assert.deepEqual(commandsOfWords(["nice", "-n", "10", "mmdebstrap", "--variant=essential"]), ["nice", "mmdebstrap"]);
        assert.deepEqual(commandsOfWords(["nsenter", "-t", "42", "-n", "redis-cli", "ping"]), ["nsenter", "redis-cli"]);
        assert.deepEqual(commandsOfWords(["ip", "netns", "exec", "node1", "iptables-save"]), ["ip", "iptables-save"]);
        assert.deepEqual(commandsOfWords(["ip", "link", "show"]), ["ip"]);
        assert.deepEqual(commandsOfWords(["timeout", "30", "curl", "-s"]), ["timeout", "curl"]);
    });

    it("finds a project helper that launches its argument, without being told its name", () => {
        const calls = typescriptCalls({
            "a.ts": [
                'import { spawnSync } from "node:child_process";',
                'function inside(program: string, args: string[]) { return spawnSync("nsenter", ["-t", pid, "-n", program, ...args]); }',
                "const direct = (tool: string) => spawnSync(tool, []);",
                'function inPod(command: string[]) { return spawnSync("kubectl", ["exec", "p", "--", ...command]); }',
            ].join("\n"),
            "b.ts": 'inside("redis-cli", ["ping"]); direct("umoci"); inPod(["psql"]); notALauncher("bogus");',
        });
        assert.deepEqual(calls.map((call) => `${call.file}:${call.command}`).sort(), [
            "a.ts:kubectl",
            "a.ts:nsenter",
            "b.ts:redis-cli",
            "b.ts:umoci",
        ]);
    });
});

describe("fresh machine: a missing host command is named with its package", () => {
    it("requireHostCommand names the Debian package debian.sh installs for it", () => {
        const saved = process.env.PATH;
        process.env.PATH = "/nonexistent";
        try {
            assert.throws(
                () => requireHostCommand("redis-cli"),
                /redis-cli is not installed: it comes from Debian's redis-tools; run scripts\/toolchain\/debian.sh/,
            );
            assert.throws(
                () => requireHostCommand("no-such-tool"),
                /no-such-tool is not installed, and scripts\/toolchain\/debian.sh does not install it/,
            );
        } finally {
            process.env.PATH = saved;
        }
        assert.doesNotThrow(() => requireHostCommand("bash"));
    });
});
