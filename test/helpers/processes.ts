// Helpers for tests that run real tools: find a binary, pick a free loopback port, wait for a server.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";

/** Path of a required tool, or a failure that says which Debian package provides it. */
export function requireTool(candidates: string[], debianPackage: string): string {
    for (const candidate of candidates) {
        if (candidate.includes("/") ? fs.existsSync(candidate) : which(candidate)) {
            return candidate.includes("/") ? candidate : which(candidate)!;
        }
    }
    throw new Error(`${candidates[0]} is not installed: run scripts/bootstrap (it installs Debian's ${debianPackage})`);
}

function which(command: string): string | undefined {
    try {
        return execFileSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" }).trim() || undefined;
    } catch {
        return undefined;
    }
}

export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.listen(0, "127.0.0.1", () => {
            const address = server.address() as net.AddressInfo;
            server.close(() => resolve(address.port));
        });
        server.on("error", reject);
    });
}

/** Resolves once something accepts TCP connections on the port, or rejects after the timeout. */
export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        const open = await new Promise<boolean>((resolve) => {
            const socket = net.connect(port, "127.0.0.1", () => {
                socket.end();
                resolve(true);
            });
            socket.on("error", () => resolve(false));
        });
        if (open) {
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`nothing listened on 127.0.0.1:${port} within ${timeoutMs} ms`);
}
