import * as assert from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TOOLS_DIR } from "../helpers/tools-dir";
import { POLICY_DIR } from "../../harness/policy-host";

const PULUMI = path.join(TOOLS_DIR, "bin", "pulumi");
const PROGRAM = path.join(__dirname, "broken-stack");

// `pulumi policy validate-config` only checks packs published to Pulumi Cloud; offline, the CLI checks a
// local pack's config against its schemas when a preview loads the pack, before any resource is analysed.
describe("the real Pulumi CLI loading the pack with a config file", function () {
    this.timeout(180_000);
    let home: string;
    let env: NodeJS.ProcessEnv;
    const stack = `policy-config-${process.pid}`;

    const pulumi = (...args: string[]) => spawnSync(PULUMI, args, { cwd: PROGRAM, env, encoding: "utf8", timeout: 170_000 });
    const preview = (config: string) => {
        const result = pulumi(
            "preview",
            "--non-interactive",
            "--stack",
            stack,
            "--policy-pack",
            POLICY_DIR,
            "--policy-pack-config",
            config,
        );
        return `${result.stdout}${result.stderr}`;
    };

    before(() => {
        if (!fs.existsSync(PULUMI)) {
            throw new Error(`${PULUMI} is missing: run scripts/bootstrap (scripts/toolchain/pulumi.sh builds it)`);
        }
        home = fs.mkdtempSync(path.join(os.tmpdir(), "policy-cli-"));
        const kubeconfig = path.join(home, "kubeconfig");
        fs.writeFileSync(
            kubeconfig,
            'apiVersion: v1\nkind: Config\nclusters: [{name: none, cluster: {server: "https://127.0.0.1:1"}}]\n' +
                "contexts: [{name: none, context: {cluster: none, user: none}}]\ncurrent-context: none\nusers: [{name: none, user: " +
                "{token: x}}]\n",
        );
        env = {
            ...process.env,
            PATH: `${path.join(TOOLS_DIR, "bin")}:${process.env.PATH}`,
            PULUMI_HOME: path.join(home, "pulumi-home"),
            PULUMI_BACKEND_URL: `file://${path.join(home, "state")}`,
            PULUMI_CONFIG_PASSPHRASE: "local",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            KUBECONFIG: kubeconfig,
        };
        fs.mkdirSync(path.join(home, "state"));
        const init = pulumi("stack", "init", stack);
        assert.strictEqual(init.status, 0, init.stderr);
    });

    after(() => {
        if (env) {
            pulumi("stack", "rm", stack, "--yes", "--force"); // also removes broken-stack/Pulumi.<stack>.yaml
            fs.rmSync(home, { recursive: true, force: true });
        }
    });

    for (const name of ["dev", "prod"]) {
        it(`accepts policy/config/${name}.json`, () => {
            const output = preview(path.join(POLICY_DIR, "config", `${name}.json`));
            assert.match(output, /Loading policy packs\.\.\.: done/, output);
            assert.doesNotMatch(output, /validating policy config/, output);
        });
    }

    it("rejects a bad config, naming the policy and each bad setting", () => {
        const bad = path.join(home, "bad.json");
        fs.writeFileSync(bad, JSON.stringify({ "minimum-replicas": { minReplicas: 0, exemptions: [{ name: "postgres" }] } }));
        const output = preview(bad);
        assert.match(
            output,
            /validating policy config: kubernetes-guardrails 1\.0\.0 {2}minimum-replicas: exemptions\.0: reason is required/,
            output,
        );
        assert.match(output, /minimum-replicas: minReplicas: Must be greater than or equal to 1/, output);
    });
});
