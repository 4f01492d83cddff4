// Runs Debian's nginx (as the gateway with the platform's generated config, or the frontend's own
// nginx.conf) in the foreground on loopback, stopped by PID.
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { tmpDir } from "./env";
import { freePort } from "./service";

export interface RunningNginx {
    url: string;
    /** The admin server: the probes, on a port of their own. */
    adminUrl: string;
    process: ChildProcess;
    stop(): Promise<void>;
    stderr: string[];
}

async function runNginx(name: string, render: (port: number, adminPort: number, dir: string) => string): Promise<RunningNginx> {
    const dir = path.join(tmpDir, `nginx-${name}`);
    mkdirSync(dir, { recursive: true });
    // Workers drop to an unprivileged user, which must be able to write the temp paths.
    chmodSync(dir, 0o777);
    const [port, adminPort] = [await freePort(), await freePort()];
    const conf = path.join(dir, "nginx.conf");
    const rendered = render(port, adminPort, dir);
    // Everything a test starts listens on loopback: a server the rewrite above missed must not bind beyond it.
    const open = rendered.match(/^\s*listen (?!127\.0\.0\.1:)\S+;/m);
    if (open) {
        throw new Error(`nginx (${name}) would listen beyond loopback: '${open[0].trim()}'`);
    }
    writeFileSync(conf, rendered);
    const child = spawn("/usr/sbin/nginx", ["-e", "stderr", "-p", dir, "-c", conf, "-g", "daemon off;"], {
        stdio: ["ignore", "ignore", "pipe"],
    });
    const stderr: string[] = [];
    child.stderr!.on("data", (chunk) => stderr.push(String(chunk)));
    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
    const url = `http://127.0.0.1:${port}`;
    const adminUrl = `http://127.0.0.1:${adminPort}`;
    for (let i = 0; ; i++) {
        if (child.exitCode !== null) throw new Error(`nginx (${name}) exited: ${stderr.join("")}`);
        try {
            if ((await fetch(`${adminUrl}/health`)).ok) break;
        } catch {
            // not up yet
        }
        if (i > 100) throw new Error(`nginx (${name}) did not answer /health on its admin port`);
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return {
        url,
        adminUrl,
        process: child,
        stderr,
        async stop() {
            child.kill("SIGQUIT"); // graceful stop
            await exited;
        },
    };
}

/** The frontend's own nginx.conf, with only its port, web root and /tmp paths moved for a test run. */
export function startFrontendNginx(frontendDir: string): Promise<RunningNginx> {
    const source = readFileSync(path.join(frontendDir, "nginx.conf"), "utf8");
    // The workers run unprivileged and may not enter the clone (mktemp -d makes it 0700), so the built
    // SPA is served from a copy in the run's own world-readable folder, as the image serves its copy.
    return runNginx("frontend", (port, adminPort, dir) => {
        const webRoot = path.join(dir, "html");
        cpSync(path.join(frontendDir, "dist"), webRoot, { recursive: true });
        return source
            .replace(/\/tmp\//g, `${dir}/`)
            .replace("listen 8080;", `listen 127.0.0.1:${port};`)
            .replace("listen 9464;", `listen 127.0.0.1:${adminPort};`)
            .replace("root /usr/share/nginx/html;", `root ${webRoot};`);
    });
}

/** The gateway exactly as the platform generates it (components/gateway/nginx-conf.ts), pointed at loopback. */
export function startGateway(upstreams: Record<string, string>): Promise<RunningNginx> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { nginxConfig } = require("../../../components/gateway/nginx-conf") as typeof import("../../../components/gateway/nginx-conf");
    const routes = [
        { path: "/api/auth/", upstream: "auth" },
        { path: "/api/posts/", upstream: "blog" },
        { path: "/api/comments/", upstream: "comment" },
        { path: "/api/images/", upstream: "image" },
        { path: "/", upstream: "frontend" },
    ];
    return runNginx("gateway", (port, adminPort, dir) =>
        nginxConfig({
            listenPort: port,
            adminPort,
            statusPort: port + 1 > 65535 ? port - 1 : port + 1,
            tempDir: dir,
            upstreams,
            routes,
        })
            .replace(`listen ${port};`, `listen 127.0.0.1:${port};`)
            .replace(`listen ${adminPort};`, `listen 127.0.0.1:${adminPort};`),
    );
}
