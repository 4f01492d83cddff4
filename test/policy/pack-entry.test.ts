// The pack's entry point (policy/pack.js) as the CLI uses it: it serves the pack compiled to JavaScript,
// keyed by the sources, so an edited rule is never served from a stale build.
import * as assert from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { rules } from "../../policy/policies";
import { POLICY_DIR } from "../../harness/policy-host";

/** A copy of the pack's sources (sharing its node_modules), so the test never touches policy/bin. */
function copyOfPack(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-pack-"));
    for (const entry of fs.readdirSync(POLICY_DIR)) {
        if (entry !== "node_modules" && entry !== "bin") {
            fs.cpSync(path.join(POLICY_DIR, entry), path.join(dir, entry), { recursive: true });
        }
    }
    fs.symlinkSync(path.join(POLICY_DIR, "node_modules"), path.join(dir, "node_modules"));
    return dir;
}

function build(dir: string): string {
    const result = spawnSync(process.execPath, ["pack.js"], { cwd: dir, encoding: "utf8" });
    assert.strictEqual(result.status, 0, result.stderr);
    return path.join(dir, result.stdout.trim());
}

describe("the policy pack's entry point (policy/pack.js)", function () {
    this.timeout(300_000);

    it("is what package.json names, so the CLI loads JavaScript rather than type-checking TypeScript", () => {
        assert.strictEqual(JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "package.json"), "utf8")).main, "pack.js");
    });

    it("builds the catalogue once per version of the sources, and rebuilds (dropping the old build) after an edit", () => {
        const dir = copyOfPack();
        try {
            const first = build(dir);
            const compiled = require(path.join(first, "policies.js"));
            assert.deepStrictEqual(
                compiled.rules.map((r: { metadata: { name: string } }) => r.metadata.name),
                rules.map((r) => r.metadata.name),
            );
            assert.strictEqual(build(dir), first, "an unchanged pack is not rebuilt");

            const ruleFile = path.join(dir, "rules", "container-resources", "rule.ts");
            fs.appendFileSync(ruleFile, "\n// edited\n");
            const second = build(dir);
            assert.notStrictEqual(second, first);
            assert.ok(fs.existsSync(path.join(second, "index.js")));
            assert.ok(!fs.existsSync(first), "the stale build is removed");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
