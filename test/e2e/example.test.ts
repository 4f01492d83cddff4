// The adopter's example (examples/two-services) through the real CLI on the local cluster: pulumi preview with
// the policy pack at policy/config/baseline.json plus the example's own registry must succeed with no finding.
import * as assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { parseEngineEvents } from "../../delivery/engine-events";
import { summarizeStack } from "../../delivery/summary";
import { EXAMPLE_DIR, examplePolicyConfig } from "../helpers/example";
import { REPO_ROOT } from "../helpers/stack-config";
import { E2E_DIR, KUBECONFIG, pulumi, requireLocalCluster } from "./helpers";

const STACK = "e2e-example";
/** Git-ignored (Pulumi.e2e-*.yaml), like the platform's throw-away stack files. */
const STACK_FILE = path.join(EXAMPLE_DIR, `Pulumi.${STACK}.yaml`);
const PACK_CONFIG = path.join(E2E_DIR, "example-policy-config.json");

describe("the components package's example through the real CLI on the local cluster", () => {
    before(() => {
        requireLocalCluster();
        // Its own namespace, so the preview never meets anything another suite deployed.
        const config = { "two-services:namespace": "shop-e2e-example", "two-services:kubeconfig": KUBECONFIG };
        fs.writeFileSync(STACK_FILE, yaml.dump({ config }));
        fs.mkdirSync(E2E_DIR, { recursive: true });
        fs.writeFileSync(PACK_CONFIG, JSON.stringify(examplePolicyConfig(), null, 2));
        pulumi(["stack", "init", STACK, "--secrets-provider", "passphrase"], EXAMPLE_DIR, { mayFail: true });
    });

    after(() => {
        pulumi(["stack", "rm", "--yes", "--force", STACK], EXAMPLE_DIR, { mayFail: true });
        fs.rmSync(STACK_FILE, { force: true });
        fs.rmSync(PACK_CONFIG, { force: true });
    });

    it("previews two services and Redis with the pack at baseline.json and the example's registry: no policy finding", () => {
        // Streaming JSON: the engine events carry every policy finding, advisory ones too (delivery/preview.sh).
        const result = pulumi(
            ["preview", "--stack", STACK, "--json", "--policy-pack", path.join(REPO_ROOT, "policy"), "--policy-pack-config", PACK_CONFIG],
            EXAMPLE_DIR,
            { mayFail: true, env: { PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true" } },
        );
        const output = `${result.stdout}\n${result.stderr}`;
        const summary = summarizeStack(STACK, parseEngineEvents(result.stdout), result.stderr);
        assert.deepStrictEqual(summary.errors, [], output);
        assert.deepStrictEqual(
            summary.findings.map((f) => `${f.enforcement} ${f.policy}: ${f.message}`),
            [],
        );
        assert.strictEqual(summary.succeeded, true, output);
        assert.strictEqual(result.status, 0, output);
        const created = summary.changed.filter((c) => c.op === "create").map((c) => `${c.resource.kind}/${c.resource.name}`);
        for (const expected of ["Namespace/shop-namespace", "Deployment/storefront-deployment", "Deployment/cart-deployment"]) {
            assert.ok(created.includes(expected), `${expected} not in the preview's creates: ${created.join(", ")}`);
        }
        assert.ok(created.includes("StatefulSet/redis-statefulset"), `no Redis StatefulSet in: ${created.join(", ")}`);
    });
});
