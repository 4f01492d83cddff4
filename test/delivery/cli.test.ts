import * as assert from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CheckReport } from "../../delivery/summary";
import { REPO_ROOT } from "../helpers/stack-config";
import { RECORDED_DIR } from "./events";

function cli(args: string[]): { status: number; stdout: string; stderr: string } {
    const result = spawnSync(
        process.execPath,
        ["-r", "ts-node/register/transpile-only", path.join(REPO_ROOT, "delivery", "cli.ts"), ...args],
        {
            cwd: REPO_ROOT,
            encoding: "utf8",
        },
    );
    return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe("delivery/cli.ts (the summary step of scripts/pr-check and scripts/drift)", () => {
    let out: string;
    beforeEach(() => (out = fs.mkdtempSync(path.join(os.tmpdir(), "delivery-cli-"))));
    afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

    it("exits 0 on a passing check and writes the JSON report whose path it prints", () => {
        const json = path.join(out, "report.json");
        const result = cli(["pr-check", "--dir", RECORDED_DIR, "--json", json, "policy-remediation"]);
        assert.strictEqual(result.status, 0, result.stderr);
        assert.match(result.stdout, /^pr-check: passed \(policy-remediation\)\n/);
        assert.ok(result.stdout.endsWith(`report: ${json}\n`));
        const report = JSON.parse(fs.readFileSync(json, "utf8")) as CheckReport;
        assert.strictEqual(report.passed, true);
        assert.strictEqual(report.stacks[0].findings.length, 2);
    });

    it("exits 1 when a stack has a mandatory violation, and appends Markdown to an existing summary", () => {
        const markdown = path.join(out, "summary.md");
        fs.writeFileSync(markdown, "earlier step\n");
        const result = cli([
            "pr-check",
            "--dir",
            RECORDED_DIR,
            "--json",
            path.join(out, "r.json"),
            "--markdown",
            markdown,
            "policy-remediation",
            "policy-findings",
        ]);
        assert.strictEqual(result.status, 1);
        assert.match(result.stdout, /✗ policy-findings: mandatory policy no-privileged violated by Resource a/);
        const written = fs.readFileSync(markdown, "utf8");
        assert.ok(written.startsWith("earlier step\n## ❌ Pulumi preview with policies: FAILED"), written.slice(0, 200));
    });

    it("exits 1 on drift", () => {
        const result = cli(["drift", "--dir", RECORDED_DIR, "--json", path.join(out, "r.json"), "drift-none", "drift-update"]);
        assert.strictEqual(result.status, 1);
        assert.match(result.stdout, /drift-update: drift on 1 resource: update Resource a/);
    });

    it("exits 2 with the usage on bad arguments or a missing preview", () => {
        const bad = cli(["deploy", "--dir", RECORDED_DIR]);
        assert.strictEqual(bad.status, 2);
        assert.match(bad.stderr, /first argument must be pr-check or drift \(got deploy\)\nusage: /);
        const missing = cli(["pr-check", "--dir", out, "--json", path.join(out, "r.json"), "dev"]);
        assert.strictEqual(missing.status, 2);
        assert.match(missing.stderr, /dev\.events\.jsonl does not exist: run the preview for stack dev first/);
    });
});
