// `scripts/cluster down` after a crash: with the kubelet, containerd and the apiserver killed (-9),
// down still removes every process, mount, chain, bridge and cgroup the real node made. Run by
// scripts/test after the real-node suites (it takes the cluster down).
import * as assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import { REPO_ROOT } from "../../helpers/stack-config";
import { NODE_DIR, requireRealNode } from "../node/node-helpers";

const CLUSTER_DIR = path.join(REPO_ROOT, ".cluster");

function sh(command: string, args: string[]): string {
    return execFileSync(command, args, { encoding: "utf8" });
}

/** Live processes whose command line names our cluster folder (control plane, node, shims). */
function ourProcesses(): string[] {
    const found: string[] = [];
    for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
        try {
            const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
            if (cmdline.includes(`${CLUSTER_DIR}/`) && Number(pid) !== process.pid) {
                found.push(`${pid}: ${cmdline.slice(0, 120)}`);
            }
        } catch {
            // gone meanwhile
        }
    }
    return found;
}

function pidOf(name: string): number {
    return Number(fs.readFileSync(path.join(NODE_DIR, "pids", `${name}.pid`), "utf8").trim());
}

describe("cluster down after a crash (real node)", function () {
    this.timeout(120_000);

    it("leaves no process, mount, chain, ipset, bridge, netns or cgroup of ours", () => {
        requireRealNode();
        // Something to clean: running pods (CoreDNS at least), their shims, mounts and netns.
        assert.ok(fs.readFileSync("/proc/self/mountinfo", "utf8").includes(NODE_DIR), "no mounts under the node folder before down");
        for (const name of ["kubelet", "containerd", "kube-apiserver"]) {
            process.kill(pidOf(name), "SIGKILL");
        }
        const started = Date.now();
        const down = spawnSync(path.join(REPO_ROOT, "scripts", "cluster"), ["down"], { encoding: "utf8" });
        assert.strictEqual(down.status, 0, `down failed: ${down.stderr}`);
        // The README's budget for down is 30 s.
        assert.ok(Date.now() - started < 30_000, `down took ${(Date.now() - started) / 1000}s`);

        assert.deepStrictEqual(ourProcesses(), []);
        const mounts = fs
            .readFileSync("/proc/self/mountinfo", "utf8")
            .split("\n")
            .filter((l) => l.includes(CLUSTER_DIR));
        assert.deepStrictEqual(mounts, []);
        assert.notStrictEqual(spawnSync("ip", ["link", "show", "blog0"]).status, 0, "bridge blog0 still exists");
        const chains = sh("iptables-save", [])
            .split("\n")
            .filter((l) => /^:(KUBE-|CNI-|BLOG-NODE-)/.test(l) || /-j (KUBE-|CNI-|BLOG-NODE-)/.test(l));
        assert.deepStrictEqual(chains, []);
        const ipsets = sh("ipset", ["list", "-n"])
            .split("\n")
            .filter((l) => /^(KUBE-|kube-router-)/.test(l));
        assert.deepStrictEqual(ipsets, []);
        const tables = sh("nft", ["list", "tables"])
            .split("\n")
            .filter((l) => /kube-proxy|kube-network-policies/.test(l));
        assert.deepStrictEqual(tables, []);
        const cgroups = fs.readdirSync("/sys/fs/cgroup").filter((c) => fs.existsSync(`/sys/fs/cgroup/${c}/blog-node`));
        assert.deepStrictEqual(cgroups, []);
        const listening = sh("ss", ["-Hltn"])
            .split("\n")
            .filter((l) => /(10\.244\.0\.1:|:10250 |127\.0\.0\.1:5000 |:32379 )/.test(l));
        assert.deepStrictEqual(listening, []);
        assert.ok(!fs.existsSync(NODE_DIR), "the node folder is still there");
        assert.ok(!fs.existsSync(path.join(CLUSTER_DIR, "kubeconfig")), "the kubeconfig is still there");
    });
});
