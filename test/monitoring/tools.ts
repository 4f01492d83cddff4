// The real tools the monitoring tests run: promtool, amtool, and a throwaway Prometheus server.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { IMAGES } from "../../components/monitoring/defaults";
import { freePort, requireTool, waitForPort } from "../helpers/processes";
import { TOOLS_DIR } from "../helpers/tools-dir";

/** Debian's promtool (package prometheus). */
export const debianPromtool = () => requireTool(["promtool", "/usr/bin/promtool"], "prometheus");
export const amtool = () => requireTool(["amtool", "/usr/bin/amtool"], "prometheus-alertmanager");
const prometheusServer = () => requireTool(["/usr/bin/prometheus", "prometheus"], "prometheus");

/** The version of the Prometheus image we deploy, e.g. "3.2.1". */
export const DEPLOYED_PROMETHEUS_VERSION = IMAGES.prometheus.split(":v")[1];

/**
 * Upstream promtool at the deployed version. Debian builds promtool without Kubernetes service discovery,
 * so only this one can check our prometheus.yml; no Debian package provides it.
 */
export function upstreamPromtool(): string {
    const file = path.join(TOOLS_DIR, `promtool-${DEPLOYED_PROMETHEUS_VERSION}`, "promtool");
    if (!fs.existsSync(file)) {
        throw new Error(
            `${file} is missing. Debian's promtool (package prometheus) is built without Kubernetes service discovery ` +
                `and rejects kubernetes_sd_configs; build upstream promtool ${DEPLOYED_PROMETHEUS_VERSION} with ` +
                "scripts/toolchain/promtool.sh (run by scripts/bootstrap; needs Go and the Go module proxy, a few minutes)",
        );
    }
    return file;
}

export interface Run {
    status: number | null;
    output: string;
}

/** Runs a tool to completion; output is stdout and stderr together, for assertion messages. */
export function run(tool: string, args: string[], cwd?: string): Run {
    const result = spawnSync(tool, args, { cwd, encoding: "utf8", timeout: 30_000 });
    if (result.error) {
        throw result.error;
    }
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function get(port: number, urlPath: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
        http.get({ host: "127.0.0.1", port, path: urlPath }, (res) => {
            let body = "";
            res.on("data", (chunk) => (body += chunk));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        }).on("error", reject);
    });
}

/** A Prometheus server on 127.0.0.1 with an empty TSDB in `dir`, for parsing queries; stop it by PID. */
export class ThrowawayPrometheus {
    private constructor(
        private readonly child: ChildProcess,
        readonly port: number,
    ) {}

    static async start(dir: string): Promise<ThrowawayPrometheus> {
        const binary = prometheusServer();
        const port = await freePort();
        const config = path.join(dir, "prometheus.yml");
        fs.writeFileSync(config, "global: {}\n");
        let log = "";
        const child = spawn(
            binary,
            [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`],
            { stdio: ["ignore", "pipe", "pipe"] },
        );
        child.stdout?.on("data", (chunk) => (log += chunk));
        child.stderr?.on("data", (chunk) => (log += chunk));
        const server = new ThrowawayPrometheus(child, port);
        try {
            await waitForPort(port, 20_000);
            const deadline = Date.now() + 20_000;
            while ((await get(port, "/-/ready")).status !== 200) {
                if (Date.now() > deadline) {
                    throw new Error("Prometheus did not become ready within 20 s");
                }
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
        } catch (error) {
            await server.stop();
            throw new Error(`${(error as Error).message}\n${log}`);
        }
        return server;
    }

    /** Evaluates `expr` at time 0 against the empty TSDB: a parse error comes back as bad_data. */
    async check(expr: string): Promise<{ ok: boolean; error?: string }> {
        const response = await get(this.port, `/api/v1/query?time=0&query=${encodeURIComponent(expr)}`);
        const body = JSON.parse(response.body) as { status: string; error?: string };
        return { ok: response.status === 200 && body.status === "success", error: body.error };
    }

    async stop(): Promise<void> {
        if (this.child.exitCode !== null || this.child.pid === undefined) {
            return;
        }
        const exited = new Promise((resolve) => this.child.once("exit", resolve));
        process.kill(this.child.pid, "SIGTERM");
        const timer = setTimeout(
            () => this.child.pid !== undefined && this.child.exitCode === null && process.kill(this.child.pid, "SIGKILL"),
            5_000,
        );
        await exited;
        clearTimeout(timer);
    }
}
