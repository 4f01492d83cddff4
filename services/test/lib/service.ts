// Starts a built service (node dist/main.js) as a child process on a free loopback port, keeps its JSON
// log lines, and stops it by PID.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import type { BackendService } from "../../../components/shared/topology";
import { servicesDir } from "./env";

/** The Node.js backends, as the platform's workload catalogue (components/shared/catalogue.ts) names them. */
export type ServiceName = BackendService;

export interface RunningService {
    name: ServiceName;
    /** The public API (what the gateway routes to). */
    url: string;
    port: number;
    /** The admin listener: /metrics, /health, /ready. */
    adminUrl: string;
    process: ChildProcess;
    logs: Array<Record<string, unknown>>;
    stderr: string[];
    exited: Promise<number | null>;
    stop(): Promise<number | null>;
}

export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as { port: number };
            server.close(() => resolve(port));
        });
    });
}

function collectLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
    let buffer = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
        buffer += chunk;
        for (let newline = buffer.indexOf("\n"); newline >= 0; newline = buffer.indexOf("\n")) {
            onLine(buffer.slice(0, newline));
            buffer = buffer.slice(newline + 1);
        }
    });
}

/** Runs dist/<script> of a service to completion; resolves with exit code and output. */
export function runScript(
    name: ServiceName,
    script: string,
    env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [path.join(servicesDir, name, "dist", script)], {
            env: { PATH: process.env.PATH ?? "", ...env },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => {
            stdout += d;
        });
        child.stderr.on("data", (d) => {
            stderr += d;
        });
        child.on("exit", (code) => resolve({ code, stdout, stderr }));
    });
}

export async function startService(name: ServiceName, env: Record<string, string>): Promise<RunningService> {
    const [port, adminPort] = [await freePort(), await freePort()];
    const child = spawn(process.execPath, [path.join(servicesDir, name, "dist", "main.js")], {
        // Only what the platform would set: nothing leaks in from the test runner's environment.
        env: {
            PATH: process.env.PATH ?? "",
            PORT: String(port),
            ADMIN_PORT: String(adminPort),
            SHUTDOWN_DELAY_MS: "0",
            LOG_LEVEL: "info",
            ...env,
        },
        stdio: ["ignore", "pipe", "pipe"],
    });
    const logs: Array<Record<string, unknown>> = [];
    const stderr: string[] = [];
    collectLines(child.stdout!, (line) => {
        try {
            logs.push(JSON.parse(line));
        } catch {
            logs.push({ unparsed: line });
        }
    });
    collectLines(child.stderr!, (line) => stderr.push(line));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const url = `http://127.0.0.1:${port}`;
    const adminUrl = `http://127.0.0.1:${adminPort}`;
    const running: RunningService = {
        name,
        url,
        port,
        adminUrl,
        process: child,
        logs,
        stderr,
        exited,
        async stop() {
            if (child.exitCode === null) {
                child.kill("SIGTERM");
            }
            return exited;
        },
    };
    const deadline = Date.now() + 15000;
    for (;;) {
        if (child.exitCode !== null) {
            throw new Error(
                `${name} exited with ${child.exitCode} before answering /health:\n${stderr.join("\n")}\n${JSON.stringify(logs.slice(-5))}`,
            );
        }
        try {
            // The admin listener opens after the public one, so its /health means both are up.
            const response = await fetch(`${adminUrl}/health`);
            if (response.ok) {
                return running;
            }
        } catch {
            // not listening yet
        }
        if (Date.now() > deadline) {
            child.kill("SIGKILL");
            throw new Error(`${name} did not answer /health within 15 s`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}
