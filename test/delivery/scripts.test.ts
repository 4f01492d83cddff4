import * as assert from "node:assert";
import { spawnSync } from "node:child_process";
import { requireTool } from "../helpers/processes";
import { REPO_ROOT } from "../helpers/stack-config";

const SCRIPTS = ["scripts/pr-check", "scripts/drift", "delivery/preview.sh", "scripts/toolchain/actionlint.sh"];

describe("delivery shell scripts", () => {
    it("pass shellcheck, following what they source", () => {
        const shellcheck = requireTool(["shellcheck"], "shellcheck");
        const result = spawnSync(shellcheck, ["--external-sources", "--source-path=SCRIPTDIR", "--format=gcc", ...SCRIPTS], {
            cwd: REPO_ROOT,
            encoding: "utf8",
        });
        assert.strictEqual(result.stdout + result.stderr, "");
        assert.strictEqual(result.status, 0);
    });

    for (const script of ["scripts/pr-check", "scripts/drift"]) {
        it(`${script} explains an unknown option without bootstrapping anything`, () => {
            const result = spawnSync(script, ["--frobnicate"], { cwd: REPO_ROOT, encoding: "utf8" });
            assert.strictEqual(result.status, 1);
            assert.strictEqual(result.stderr, "error: unknown option --frobnicate (--help shows the usage)\n");
        });
    }
});
