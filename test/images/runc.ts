// Runs a built image with runc the way the platform deploys it: its own UID, a read-only root, tmpfs
// scratch, every capability dropped, its own network namespace (only loopback, nothing reachable outside).
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TOOLS_DIR } from "../helpers/tools-dir";
import { requireHostCommand } from "../helpers/host-command";

export const ROOT = path.resolve(__dirname, "../..");
export const IMAGES_DIR = path.join(TOOLS_DIR, "images");

/** The OCI layout the last build of an image produced. */
export function layoutOf(name: string): string {
    const link = path.join(IMAGES_DIR, name, "current");
    if (!fs.existsSync(path.join(link, "index.json"))) {
        throw new Error(`image ${name} is not built: run scripts/images build ${name}`);
    }
    return fs.realpathSync(link);
}

/** Manifest digest of a layout's "latest" image. */
export function digestOf(layout: string): string {
    return JSON.parse(fs.readFileSync(path.join(layout, "index.json"), "utf8")).manifests[0].digest;
}

/** The parts of an OCI manifest and image config that the tests read. */
interface OciBlob {
    config: { digest: string } & ReturnType<typeof imageConfig>;
}

function blob(layout: string, digest: string): OciBlob {
    return JSON.parse(fs.readFileSync(path.join(layout, "blobs", ...digest.split(":")), "utf8"));
}

/** The image's config (User, Entrypoint, Cmd, Env, ...) as the registry would serve it. */
export function imageConfig(layout: string): { User?: string; Entrypoint?: string[]; Cmd?: string[]; Env?: string[]; WorkingDir?: string } {
    const manifest = blob(layout, digestOf(layout));
    return blob(layout, manifest.config.digest).config;
}

export interface RunOptions {
    /** Replaces the image's Cmd, like a pod's `args`. */
    args?: string[];
    env?: Record<string, string>;
    /** Writable tmpfs mounts (the pod's emptyDirs); /tmp always is one. uid owns each mount. */
    writable?: { path: string; uid: number }[];
    /** Host folders mounted read-write (a pod's persistent volume). */
    volumes?: { path: string; source: string }[];
}

export class Container {
    constructor(
        readonly id: string,
        readonly bundle: string,
        readonly pid: number,
        readonly logFile: string,
    ) {}

    /** Runs a host program inside the container's network namespace (its loopback only). */
    inNetns(program: string, args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
        // A missing host program would read as "timed out" or empty output in the tests that poll with it.
        requireHostCommand(program);
        const result = spawnSync("nsenter", ["-t", String(this.pid), "-n", program, ...args], {
            encoding: "utf8",
            env: { ...process.env, ...env },
            timeout: 10000,
        });
        return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    }

    /** Runs a command inside the container, as the image's user. */
    exec(args: string[]): { status: number | null; stdout: string; stderr: string } {
        const result = spawnSync("runc", ["exec", this.id, ...args], { encoding: "utf8", timeout: 10000 });
        return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    }

    /** Effective UID of the container's first process, read from the host's /proc. */
    uid(): number {
        const status = fs.readFileSync(`/proc/${this.pid}/status`, "utf8");
        const uid = /^Uid:\s+\d+\s+(\d+)/m.exec(status);
        if (!uid) {
            throw new Error(`/proc/${this.pid}/status has no Uid line`);
        }
        return Number(uid[1]);
    }

    log(): string {
        return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, "utf8") : "";
    }

    stop(): void {
        spawnSync("runc", ["kill", this.id, "KILL"], { stdio: "ignore" });
        spawnSync("runc", ["delete", "--force", this.id], { stdio: "ignore" });
        fs.rmSync(this.bundle, { recursive: true, force: true });
    }
}

/** Unpacks an image into a runc bundle and hardens its config.json; returns the bundle's folder. */
function prepareBundle(name: string, options: RunOptions): { bundle: string; dir: string } {
    const layout = layoutOf(name);
    const bundle = fs.mkdtempSync(path.join(os.tmpdir(), `img-${name}-`));
    execFileSync("umoci", ["unpack", "--image", `${layout}:latest`, path.join(bundle, "b")], { stdio: "ignore" });
    const dir = path.join(bundle, "b");
    const config = JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8"));
    const image = imageConfig(layout);
    if (options.args) {
        config.process.args = [...(image.Entrypoint ?? []), ...options.args];
    }
    config.process.terminal = false;
    config.process.noNewPrivileges = true;
    config.process.capabilities = { bounding: [], effective: [], inheritable: [], permitted: [], ambient: [] };
    config.process.env = [...config.process.env, ...Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`)];
    delete config.process.oomScoreAdj; // the machine cannot lower OOM scores (reference: real-node facts 2)
    config.root.readonly = true;
    const writable = [{ path: "/tmp", uid: 0 }, ...(options.writable ?? [])];
    config.mounts = [
        ...config.mounts.filter((m: { destination: string }) => !writable.some((w) => w.path === m.destination)),
        ...writable.map((w) => ({
            destination: w.path,
            type: "tmpfs",
            source: "tmpfs",
            options: ["nosuid", "nodev", w.uid === 0 ? "mode=1777" : "mode=0700", `uid=${w.uid}`, `gid=${w.uid}`],
        })),
        ...(options.volumes ?? []).map((v) => ({ destination: v.path, type: "bind", source: v.source, options: ["rbind", "rw"] })),
    ];
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(config));
    return { bundle, dir };
}

/** Unpacks an image into a runc bundle, hardens its config.json and starts it detached. */
export function runImage(name: string, options: RunOptions = {}): Container {
    const { bundle, dir } = prepareBundle(name, options);
    const id = `blogimg-${name}-${process.pid}`;
    const logFile = path.join(bundle, "output.log");
    const log = fs.openSync(logFile, "w");
    const started = spawnSync("runc", ["run", "--detach", "--pid-file", path.join(bundle, "pid"), "--bundle", dir, id], {
        stdio: ["ignore", log, log],
        timeout: 30000,
    });
    fs.closeSync(log);
    if (started.status !== 0) {
        const output = fs.readFileSync(logFile, "utf8");
        fs.rmSync(bundle, { recursive: true, force: true });
        throw new Error(`runc could not start ${name}: ${output}`);
    }
    const pid = Number(fs.readFileSync(path.join(bundle, "pid"), "utf8"));
    return new Container(id, bundle, pid, logFile);
}

/** Runs an image hardened like runImage in the foreground, as an init container runs: its exit status and output. */
export function runToCompletion(name: string, options: RunOptions = {}): { status: number | null; output: string } {
    const { bundle, dir } = prepareBundle(name, options);
    const logFile = path.join(bundle, "output.log");
    const log = fs.openSync(logFile, "w");
    const result = spawnSync("runc", ["run", "--bundle", dir, `blogimg-${name}-step-${process.pid}`], {
        stdio: ["ignore", log, log],
        timeout: 120000,
    });
    fs.closeSync(log);
    const output = fs.readFileSync(logFile, "utf8");
    fs.rmSync(bundle, { recursive: true, force: true });
    return { status: result.status, output };
}

/** Polls check() until it returns true or the deadline passes; the last error explains a timeout. */
export async function eventually(what: string, check: () => boolean, timeoutMs = 30000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (check()) return;
        await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
