import * as assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../helpers/stack-config";
import { EXPECTED_VIOLATIONS } from "../policy/broken-stack/objects";
import { E2E_DIR, pulumi, requireLocalCluster } from "./helpers";
import { removeStack, stackFrom } from "../../harness/stacks";

const POLICY_PACK = path.join(REPO_ROOT, "policy");
const policyArgs = (config: string) => [
    "--policy-pack",
    POLICY_PACK,
    "--policy-pack-config",
    path.join(POLICY_PACK, "config", `${config}.json`),
];

describe("policy pack through the real CLI on the local cluster", () => {
    before(requireLocalCluster);

    for (const base of ["dev", "prod"] as const) {
        it(`passes pulumi preview of the ${base} stack with its own policy config`, () => {
            const stack = stackFrom(base, base === "prod" ? { "blog:gateway": { exposure: "ClusterIP" } } : {});
            try {
                const result = pulumi(["preview", "--stack", stack, ...policyArgs(base)], REPO_ROOT, { mayFail: true });
                assert.strictEqual(result.status, 0, `${result.stdout}\n${result.stderr}`);
                assert.doesNotMatch(result.stdout, /mandatory/);
            } finally {
                removeStack(stack);
            }
        });
    }

    it("fails pulumi preview of a deliberately broken program, naming each violated rule", () => {
        const project = path.join(E2E_DIR, "broken-stack");
        fs.rmSync(project, { recursive: true, force: true });
        fs.cpSync(path.join(REPO_ROOT, "test", "policy", "broken-stack"), project, { recursive: true });
        pulumi(["stack", "init", "broken", "--secrets-provider", "passphrase"], project);
        try {
            const result = pulumi(["preview", "--stack", "broken", ...policyArgs("prod")], project, { mayFail: true });
            const output = result.stdout + result.stderr;
            assert.notStrictEqual(result.status, 0, output);
            for (const policy of EXPECTED_VIOLATIONS) {
                assert.ok(output.includes(policy), `${policy} not reported:\n${output}`);
            }
        } finally {
            pulumi(["stack", "rm", "--yes", "--force", "broken"], project, { mayFail: true });
        }
    });
});
