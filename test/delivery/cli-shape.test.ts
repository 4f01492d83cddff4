// Pins what the delivery summary assumes about the real Pulumi CLI's JSON: run on fixtures/probe (a
// dynamic-provider program and a policy pack, so no cluster and no provider binary are needed).
import * as assert from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseEngineEvents } from "../../delivery/engine-events";
import { summarizeStack } from "../../delivery/summary";
import { REPO_ROOT } from "../helpers/stack-config";
import { TOOLS_DIR } from "../helpers/tools-dir";

// Under the repo, so the program and the pack resolve the root node_modules.
const STAGE = path.join(REPO_ROOT, ".state", "delivery-probe");

function pulumi(args: string[], env: NodeJS.ProcessEnv = {}): { status: number; stdout: string; stderr: string } {
    const result = spawnSync("pulumi", [...args, "--non-interactive"], {
        cwd: STAGE,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
        env: {
            ...process.env,
            PATH: `${path.join(TOOLS_DIR, "bin")}:${process.env.PATH}`,
            PULUMI_HOME: process.env.PULUMI_HOME ?? path.join(TOOLS_DIR, "pulumi-home"),
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_BACKEND_URL: `file://${path.join(STAGE, "backend")}`,
            PULUMI_CONFIG_PASSPHRASE: "delivery-probe",
            ...env,
        },
    });
    return { status: result.status ?? -1, stdout: result.stdout ?? "", stderr: result.stderr ?? String(result.error ?? "") };
}

describe("the Pulumi CLI's preview JSON (real CLI on fixtures/probe)", function () {
    this.timeout(5 * 60 * 1000);

    before(() => {
        fs.rmSync(STAGE, { recursive: true, force: true });
        fs.cpSync(path.join(__dirname, "fixtures", "probe"), STAGE, { recursive: true });
        fs.mkdirSync(path.join(STAGE, "backend"));
        const init = pulumi(["stack", "init", "probe", "--secrets-provider", "passphrase"]);
        assert.strictEqual(init.status, 0, `pulumi is needed (scripts/bootstrap builds it): ${init.stderr}`);
    });
    after(() => fs.rmSync(STAGE, { recursive: true, force: true }));

    it("streams policy findings as engine events when PULUMI_ENABLE_STREAMING_JSON_PREVIEW is set", () => {
        const result = pulumi(["preview", "--stack", "probe", "--json", "--policy-pack", "policy"], {
            PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true",
        });
        assert.notStrictEqual(result.status, 0, "a mandatory violation fails the preview");
        const summary = summarizeStack("probe", parseEngineEvents(result.stdout), result.stderr);
        assert.deepStrictEqual(summary.errors, []);
        assert.deepStrictEqual(summary.changes.create, 3);
        assert.deepStrictEqual(
            summary.findings.map((f) => `${f.enforcement} ${f.policy} ${f.resource?.name ?? "(stack)"}`),
            ["mandatory no-privileged a", "advisory single-thing (stack)", "advisory value-two a", "advisory value-two b"],
        );
    });

    it("leaves policy findings out of the default --json document, which the parser therefore refuses", () => {
        const result = pulumi(["preview", "--stack", "probe", "--json", "--policy-pack", "policy"], {
            PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "",
        });
        const digest = JSON.parse(result.stdout) as { diagnostics: { message: string }[] };
        assert.ok(
            !result.stdout.includes("no-privileged"),
            "the digest now carries policy findings: the streaming variable may no longer be needed",
        );
        assert.ok(digest.diagnostics.some((d) => /preview failed/.test(d.message)));
        assert.throws(() => parseEngineEvents(result.stdout), /PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true/);
    });
});
