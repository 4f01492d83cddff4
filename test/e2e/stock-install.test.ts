// What a deploy image or an adopter gets: the tracked files and `npm ci --omit=dev`, nothing else. The copy
// lives outside the repository so that Node cannot find a missing module in the repo's own node_modules
// (resolution walks up the parent folders), and the preview runs the real CLI from it against the local
// cluster. A module the program loads at run time but that package.json lists under devDependencies
// fails here, as it would in production.
import * as assert from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { trackedFiles } from "../fresh-machine/host-commands";
import { REPO_ROOT } from "../helpers/stack-config";
import { KUBECONFIG, pulumi, requireLocalCluster } from "./helpers";

const STACK = "e2e-stock";

/** The repository's tracked files (what a clone has), copied into a fresh folder outside it. */
function cloneTrackedFiles(): string {
    const target = fs.mkdtempSync(path.join(os.tmpdir(), "blog-stock-install-"));
    for (const file of trackedFiles(REPO_ROOT)) {
        fs.mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
        fs.copyFileSync(path.join(REPO_ROOT, file), path.join(target, file));
    }
    return target;
}

describe("a production install (npm ci --omit=dev in a clean copy)", function () {
    this.timeout(600_000);
    let project: string;

    before(() => {
        requireLocalCluster();
        project = cloneTrackedFiles();
        const install = spawnSync("npm", ["ci", "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error"], {
            cwd: project,
            encoding: "utf8",
        });
        assert.strictEqual(install.status, 0, `npm ci --omit=dev failed:\n${install.stderr}`);
    });
    after(() => {
        if (!project) return;
        pulumi(["stack", "rm", "--yes", "--force", "--stack", STACK], project, { mayFail: true });
        fs.rmSync(project, { recursive: true, force: true });
    });

    it("installs no development tool", () => {
        const installed = (name: string) => fs.existsSync(path.join(project, "node_modules", name, "package.json"));
        const devDependencies = Object.keys(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")).devDependencies);
        // Some dev tools arrive anyway as a runtime package's own dependency (@pulumi/pulumi brings ts-node and
        // typescript); these must not.
        for (const tool of ["mocha", "@biomejs/biome", "remark-cli", "@pulumi/policy", "autocannon"]) {
            assert.ok(devDependencies.includes(tool), `${tool} is not a devDependency any more: update this list`);
            assert.ok(!installed(tool), `${tool} was installed by npm ci --omit=dev`);
        }
    });

    it("previews the dev stack from that copy with the real CLI", () => {
        const base = yaml.load(fs.readFileSync(path.join(project, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> };
        const config = {
            ...base.config,
            "blog:namespace": `blog-${STACK}`,
            "blog:kubeconfig": KUBECONFIG,
            // The copy has no .state/: the committed lock of digests the unit tests use stands in for a push.
            "blog:imageLock": "test/fixtures/images.json",
        };
        fs.writeFileSync(path.join(project, `Pulumi.${STACK}.yaml`), yaml.dump({ config }));
        pulumi(["stack", "init", STACK, "--secrets-provider", "passphrase"], project, { mayFail: true });
        const preview = pulumi(["preview", "--stack", STACK], project, { mayFail: true });
        assert.strictEqual(preview.status, 0, `preview from the --omit=dev copy failed:\n${preview.stdout}\n${preview.stderr}`);
        const toCreate = Number(/(\d+) to create/.exec(preview.stdout)?.[1] ?? 0);
        assert.ok(toCreate > 50, `expected the whole platform to create, got:\n${preview.stdout}`);
    });
});
