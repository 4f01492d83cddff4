// A test that runs a host program checks for it first, and when it is missing names the Debian package
// that provides it, read from scripts/toolchain/debian.sh's own list (the one the bootstrap installs
// from), so the message and the install never disagree.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";

const REPO_ROOT = path.resolve(__dirname, "../..");

/** Which Debian package debian.sh installs for a command, if it installs one. */
export function debianPackageFor(command: string): string | undefined {
    const listed = spawnSync("/bin/bash", [path.join(REPO_ROOT, "scripts/toolchain/debian.sh"), "--list"], {
        encoding: "utf8",
        // The system's PATH: the list must be readable even when the PATH that lacks the command is odd.
        env: { ...process.env, PATH: "/usr/local/bin:/usr/bin:/bin" },
    });
    const pair = (listed.stdout ?? "")
        .split("\n")
        .map((line) => line.split("="))
        .find(([, provided]) => provided === command || path.basename(provided ?? "") === command);
    return pair?.[0];
}

const onPath = (command: string) =>
    command.startsWith("/")
        ? existsSync(command)
        : [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/sbin"].some((dir) => dir && existsSync(path.join(dir, command)));

/** Throws one line naming the command, its package and how to install it, when the command is missing. */
export function requireHostCommand(command: string): void {
    if (onPath(command)) return;
    const pkg = debianPackageFor(command);
    throw new Error(
        pkg
            ? `${command} is not installed: it comes from Debian's ${pkg}; run scripts/toolchain/debian.sh (or: apt-get install ${pkg})`
            : `${command} is not installed, and scripts/toolchain/debian.sh does not install it`,
    );
}
