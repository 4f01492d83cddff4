// scripts/images itself: the generic service recipe on throwaway services, skipping of absent services,
// clear errors, cache hits, and reproducibility (building again gives the same digest).
import * as assert from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as net from "node:net";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { digestOf, eventually, IMAGES_DIR, imageConfig, layoutOf, ROOT, runImage } from "./runc";

const SAMPLES = ["sample-api", "sample-web"];

/** A loopback port nothing listens on right now. */
function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net
            .createServer()
            .listen(0, "127.0.0.1", () => {
                const { port } = server.address() as net.AddressInfo;
                server.close(() => resolve(port));
            })
            .on("error", reject);
    });
}

function images(args: string[], servicesDir: string): { status: number | null; output: string } {
    const result = spawnSync(path.join(ROOT, "scripts/images"), args, {
        encoding: "utf8",
        env: { ...process.env, BLOG_SERVICES_DIR: servicesDir },
        timeout: 900000,
    });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function write(file: string, content: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
}

const lock = (name: string) =>
    JSON.stringify({ name, version: "1.0.0", lockfileVersion: 3, requires: true, packages: { "": { name, version: "1.0.0" } } });

/** A backend with no dependencies: its build copies src/ to dist/, main.js serves /health on $PORT. */
function sampleApi(dir: string): void {
    write(
        path.join(dir, "package.json"),
        JSON.stringify({ name: "sample-api", version: "1.0.0", private: true, scripts: { build: "node build.js" } }),
    );
    write(path.join(dir, "package-lock.json"), lock("sample-api"));
    write(path.join(dir, "build.js"), `require("fs").cpSync("src", "dist", { recursive: true });\n`);
    write(
        path.join(dir, "src/main.js"),
        `require("http").createServer((req, res) => {
  res.writeHead(req.url === "/health" ? 200 : 404, { "content-type": "application/json" });
  res.end(JSON.stringify({ path: req.url, uid: process.getuid(), cwd: process.cwd() }));
}).listen(Number(process.env.PORT), "0.0.0.0");\n`,
    );
    write(path.join(dir, "Containerfile"), 'FROM node-runtime AS build\nWORKDIR /app\nCMD ["node", "dist/main.js"]\n');
}

/** A static site: dist/index.html behind a server block with an SPA fallback. */
function sampleWeb(dir: string): void {
    write(
        path.join(dir, "package.json"),
        JSON.stringify({ name: "sample-web", version: "1.0.0", private: true, scripts: { build: "node build.js" } }),
    );
    write(path.join(dir, "package-lock.json"), lock("sample-web"));
    write(
        path.join(dir, "build.js"),
        `require("fs").mkdirSync("dist"); require("fs").writeFileSync("dist/index.html", "<p>sample spa</p>");\n`,
    );
    write(
        path.join(dir, "nginx.conf"),
        "server {\n  listen 8080;\n  root /usr/share/nginx/html;\n  location / { try_files $uri /index.html; }\n}\n",
    );
    write(path.join(dir, "Containerfile"), "FROM nginxinc/nginx-unprivileged:1.27\nCOPY dist/ /usr/share/nginx/html/\n");
}

describe("scripts/images", function () {
    this.timeout(900000);
    let services: string;

    before(() => {
        services = fs.mkdtempSync(path.join(os.tmpdir(), "img-services-"));
        sampleApi(path.join(services, "sample-api"));
        sampleWeb(path.join(services, "sample-web"));
    });
    after(() => {
        fs.rmSync(services, { recursive: true, force: true });
        // The samples must not reach `scripts/images push`.
        for (const name of SAMPLES) fs.rmSync(path.join(IMAGES_DIR, name), { recursive: true, force: true });
    });

    it("builds a backend from services/<name> on node-runtime that serves as UID 10001 on a read-only root", async () => {
        const built = images(["build", "sample-api"], services);
        assert.strictEqual(built.status, 0, built.output);
        const config = imageConfig(layoutOf("sample-api"));
        assert.deepStrictEqual([config.User, config.Cmd, config.WorkingDir], ["10001:10001", ["node", "dist/main.js"], "/app"]);
        const container = runImage("sample-api");
        try {
            let body = "";
            await eventually("the sample's /health", () => {
                const r = container.inNetns("curl", ["-sf", "-m", "2", "http://127.0.0.1:8080/health"]);
                body = r.stdout;
                return r.status === 0;
            });
            assert.deepStrictEqual(JSON.parse(body), { path: "/health", uid: 10001, cwd: "/app" });
        } finally {
            container.stop();
        }
    });

    it("builds a static site on nginx-unprivileged with the service's nginx.conf", async () => {
        const built = images(["build", "sample-web"], services);
        assert.strictEqual(built.status, 0, built.output);
        const container = runImage("sample-web");
        try {
            let body = "";
            await eventually("the SPA fallback", () => {
                const r = container.inNetns("curl", ["-sf", "-m", "2", "http://127.0.0.1:8080/posts/42"]);
                body = r.stdout;
                return r.status === 0;
            });
            assert.strictEqual(body, "<p>sample spa</p>");
            assert.strictEqual(container.uid(), 101);
        } finally {
            container.stop();
        }
    });

    it("passes shellcheck: the script, its library and hook, every recipe and entrypoint", () => {
        const check = (args: string[]) =>
            spawnSync("shellcheck", ["--external-sources", "--source-path=SCRIPTDIR", "--format=gcc", ...args], {
                cwd: ROOT,
                encoding: "utf8",
            });
        const dirs = fs.readdirSync(path.join(ROOT, "images"));
        const entrypoints = dirs.map((d) => `images/${d}/docker-entrypoint.sh`).filter((f) => fs.existsSync(path.join(ROOT, f)));
        const recipes = dirs.map((d) => `images/${d}/recipe.sh`).filter((f) => fs.existsSync(path.join(ROOT, f)));
        for (const result of [
            check(["scripts/images", "scripts/lib/images-hook.sh", ...entrypoints]),
            // The library and the recipes are sourced bash that sets what scripts/images and the library read.
            check(["--shell=bash", "--exclude=SC2034", "scripts/lib/images.sh", ...recipes]),
        ]) {
            assert.strictEqual(result.stdout + result.stderr, "");
            assert.strictEqual(result.status, 0);
        }
    });

    it("skips a platform service whose folder does not exist, with a line saying so", () => {
        const result = images(["build", "auth"], services);
        assert.strictEqual(result.status, 0, result.output);
        assert.match(result.output, /auth\s+skipped: no .*auth with package.json and Containerfile/);
    });

    it("rejects an unknown image name, naming it and the known ones", () => {
        const result = images(["build", "no-such-image"], services);
        assert.notStrictEqual(result.status, 0);
        assert.match(result.output, /no image named 'no-such-image': known are debian-base node-runtime/);
    });

    it("reuses every cached image when nothing changed (a warm build)", () => {
        const result = images(["build", "debian-base", "node-runtime", "sample-api"], services);
        assert.strictEqual(result.status, 0, result.output);
        assert.strictEqual((result.output.match(/ cached /g) ?? []).length, 3, result.output);
        assert.doesNotMatch(result.output, / built /);
    });

    it("pushes every built image to a registry and maps each name to its digest there", async () => {
        const port = await freePort();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "img-registry-"));
        fs.writeFileSync(
            path.join(dir, "config.yml"),
            `version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: 127.0.0.1:${port}\n`,
        );
        const registry = spawn("docker-registry", ["serve", path.join(dir, "config.yml")], { stdio: "ignore" });
        try {
            await eventually("the registry", () => spawnSync("curl", ["-sf", `http://127.0.0.1:${port}/v2/`]).status === 0, 15000);
            const map = path.join(dir, "images.json");
            const result = spawnSync(path.join(ROOT, "scripts/images"), ["push"], {
                encoding: "utf8",
                env: { ...process.env, BLOG_REGISTRY: `127.0.0.1:${port}`, BLOG_IMAGES_JSON: map },
                timeout: 600000,
            });
            assert.strictEqual(result.status, 0, `${result.stdout}${result.stderr}`);
            const refs: Record<string, string> = JSON.parse(fs.readFileSync(map, "utf8"));
            assert.ok(Object.keys(refs).includes("node-runtime"), JSON.stringify(refs));
            for (const [name, ref] of Object.entries(refs)) {
                const inspect = spawnSync("skopeo", ["inspect", "--tls-verify=false", "--raw", `docker://${ref}`], { encoding: "utf8" });
                assert.strictEqual(inspect.status, 0, inspect.stderr);
                const served = `sha256:${createHash("sha256").update(inspect.stdout).digest("hex")}`;
                assert.strictEqual(ref, `127.0.0.1:${port}/blog/${name}@${served}`);
                assert.strictEqual(served, digestOf(layoutOf(name)));
            }
        } finally {
            registry.kill();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("gives the same digests when debian-base, node-runtime and a service are built again from scratch", () => {
        const before = ["debian-base", "node-runtime", "sample-api"].map((n) => digestOf(layoutOf(n)));
        const result = images(["build", "--rebuild", "debian-base", "node-runtime", "sample-api"], services);
        assert.strictEqual(result.status, 0, result.output);
        assert.strictEqual((result.output.match(/ built /g) ?? []).length, 3, result.output);
        const after = ["debian-base", "node-runtime", "sample-api"].map((n) => digestOf(layoutOf(n)));
        assert.deepStrictEqual(after, before);
    });
});
