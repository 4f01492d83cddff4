// Docs that stay true (issue 23): every link in the project's Markdown resolves (files and headings,
// across files), and every repository path a doc cites in a code span exists.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { architectureDiagram } from "../../components/shared/diagram";
import { METRICS_PORTS, serviceEdges } from "../../components/shared/topology";
import { DEFAULTS } from "../../config/defaults";
import { LIMITS } from "../../config/defaults";
import { citedFigures, figureMismatches, readFigures, recordFigures, withFigures } from "../../harness/figures";
import { configReference, mergedFieldDocs, projectWithDescriptions, REFERENCE_FILE, REGENERATE } from "../../scripts/lib/config-reference";
import { defaultArchitectureDiagram, diagramIn, withDiagram } from "../../scripts/lib/readme-diagram";
import {
    brokenLinks,
    citedPaths,
    layoutBlock,
    missingCitations,
    REPO_ROOT,
    topLevelEntries,
    trackedFiles,
    trackedMarkdown,
} from "../helpers/docs";

describe("docs", function () {
    this.timeout(60_000);
    const files = trackedMarkdown();
    const topLevel = topLevelEntries();

    it("has every link resolve to a file, and every #fragment to a heading, in every tracked Markdown file", () => {
        assert.ok(files.includes("README.md") && files.length > 5, `tracked Markdown: ${files.join(", ")}`);
        assert.deepEqual(brokenLinks(files), []);
    });

    it("reports a link to a missing file and to a missing heading, and passes a good one", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "docs-check-"));
        try {
            fs.writeFileSync(path.join(dir, "other.md"), "# Other\n\n## Kept heading\n");
            fs.writeFileSync(
                path.join(dir, "doc.md"),
                "# Doc\n\n[gone](missing.md), [no heading](other.md#not-there), [fine](other.md#kept-heading), [here](#doc).\n",
            );
            const findings = brokenLinks(["doc.md", "other.md"], dir).join("\n");
            assert.match(findings, /Cannot find file `missing\.md`/);
            assert.match(findings, /Cannot find heading for `#not-there` in `other\.md`/);
            assert.doesNotMatch(findings, /kept-heading|`#doc`/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("has every repository path cited in a code span exist (or be a build output git ignores)", () => {
        const citations = files.flatMap((file) => citedPaths(file, fs.readFileSync(path.join(REPO_ROOT, file), "utf8"), topLevel));
        // The check reads real citations: the docs cite hundreds of paths.
        assert.ok(citations.length > 100, `only ${citations.length} cited paths found`);
        const missing = missingCitations(citations).map((c) => `${c.file}:${c.line}: \`${c.cited}\` does not exist`);
        assert.deepEqual(missing, []);
    });

    it("lists every top-level folder, top-level program file and component in the README's Layout", () => {
        const layout = layoutBlock(fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8"));
        const words = layout.split(/[\s()]+/);
        const tracked = trackedFiles();
        const expected = [
            ...new Set(tracked.filter((f) => f.includes("/")).map((f) => `${f.split("/")[0]}/`)),
            ...tracked.filter((f) => !f.includes("/") && /\.(ts|js)$|^Pulumi/.test(f)),
            ...new Set(tracked.filter((f) => /^components\/[^/]+\//.test(f)).map((f) => `${f.split("/")[1]}/`)),
        ];
        const unlisted = expected.filter((entry) => !words.some((word) => word.startsWith(entry)));
        assert.deepEqual(unlisted, [], "add a line for each to the README's Layout");
    });

    it("has the README's architecture diagram drawn from the service graph (scripts/docs-diagram.ts rewrites it)", () => {
        const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
        assert.equal(diagramIn(readme), defaultArchitectureDiagram(), "run: npx ts-node --transpile-only scripts/docs-diagram.ts");
    });

    it("draws every edge of the graph, so a dropped or added connection changes the picture", () => {
        const routes = DEFAULTS.routes;
        const edges = serviceEdges(
            routes.map((route) => route.service),
            { postgresBackup: true },
        );
        const full = architectureDiagram(routes, edges, METRICS_PORTS);
        for (const edge of edges) {
            assert.match(full, new RegExp(`\\b${edge.from.replace(/-/g, "_")} -->\\|"[^"]*:${edge.port}"\\| ${edge.to}\\b`));
        }
        const withoutOne = architectureDiagram(
            routes,
            edges.filter((edge) => !(edge.from === "comment" && edge.to === "blog")),
            METRICS_PORTS,
        );
        assert.notEqual(withoutOne, full);
        assert.doesNotMatch(withoutOne, /comment -->\|":8080"\| blog/);
        const readme = withDiagram(fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8"), withoutOne);
        assert.notEqual(diagramIn(readme), defaultArchitectureDiagram());
    });

    it("has docs/config-reference.md written from the config schema (scripts/docs-config.ts rewrites it)", () => {
        const committed = fs.readFileSync(path.join(REPO_ROOT, REFERENCE_FILE), "utf8");
        assert.ok(committed === configReference(), `${REFERENCE_FILE} differs from the config schema: run ${REGENERATE}`);
    });

    it("has Pulumi.yaml's key descriptions written from the config schema", () => {
        const project = fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8");
        assert.ok(
            project === projectWithDescriptions(project),
            `Pulumi.yaml's descriptions differ from the config schema: run ${REGENERATE}`,
        );
    });

    it("gives every field of the config schema a description, a type and the rule its error states", () => {
        const rows = mergedFieldDocs();
        assert.ok(rows.length > 60, `only ${rows.length} fields documented`);
        const lacking = rows.filter((row) => row.description === "" || row.type === "" || row.allowed === "").map((row) => row.key);
        assert.deepEqual(lacking, [], "describe each in the schema with .describe() or .meta({ description })");
        const replicas = rows.find((row) => row.key === "services.<service>.replicas");
        assert.equal(replicas?.allowed, `dev: an integer from 1 to ${LIMITS.replicas}; prod: an integer from 2 to ${LIMITS.replicas}`);
        assert.equal(replicas?.default, "dev: `1`; prod: `2`");
    });

    it("has every figure a doc cites from docs/figures/ say what the script recorded (scripts/docs-figures.ts rewrites them)", () => {
        const cited = files.flatMap((file) => citedFigures(file, fs.readFileSync(path.join(REPO_ROOT, file), "utf8")));
        assert.ok(cited.length > 0, "no doc cites a recorded figure");
        assert.deepEqual(
            figureMismatches(cited, readFigures()),
            [],
            "rerun the script that records it, or run: npx ts-node --transpile-only scripts/docs-figures.ts",
        );
    });

    it("records a figure with its date and commit, keeps the others, and finds a doc that says something else", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "figures-"));
        try {
            const git = { commit: "abc123", dirty: false };
            recordFigures(
                "bench",
                { "a.resources": { value: 88, unit: "resources", what: "a count" } },
                { dir, git, now: new Date("2026-11-30T12:00:00Z") },
            );
            recordFigures(
                "bench",
                { "b.ratio": { value: 1.45, unit: "", what: "a ratio" } },
                { dir, git, now: new Date("2026-12-04T08:00:00Z") },
            );
            const figures = readFigures(dir);
            assert.deepEqual(figures.get("bench/a.resources"), {
                value: 88,
                unit: "resources",
                what: "a count",
                date: "2026-11-30",
                commit: "abc123",
            });
            assert.equal(figures.get("bench/b.ratio")?.date, "2026-12-04");
            const doc =
                "dev, <!-- figure bench/a.resources -->69 resources<!-- /figure -->, " +
                "ratio <!-- figure bench/b.ratio -->1.45<!-- /figure -->\n" +
                "and <!-- figure bench/gone -->3 s<!-- /figure -->";
            assert.deepEqual(figureMismatches(citedFigures("doc.md", doc), figures), [
                'doc.md:1: says "69 resources" for bench/a.resources, recorded as "88 resources" (2026-11-30, abc123)',
                "doc.md:2: cites bench/gone, which no file in docs/figures/ records",
            ]);
            assert.match(withFigures(doc, figures), /a\.resources -->88 resources<!--/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("tells a cited path that does not exist from commands, placeholders, build outputs and paths relative to the doc", () => {
        const text = [
            "Built by `scripts/toolchain/promtool.sh` (not `test/monitoring/tools/build-promtool.sh`),",
            "see `test/e2e/real/platform.ts:12` and `README.md#times`; compiled to `policy/bin`;",
            "per service `services/<name>`, cached in `~/.cache/blog-platform`, run `scripts/test --grep x`.",
        ].join("\n");
        const cited = citedPaths("docs/example.md", text, topLevel);
        assert.deepEqual(
            cited.map((c) => c.cited),
            // Not `README.md#times`: a top-level file without a folder reads the same as a word in code.
            ["scripts/toolchain/promtool.sh", "test/monitoring/tools/build-promtool.sh", "test/e2e/real/platform.ts", "policy/bin"],
        );
        assert.deepEqual(
            missingCitations(cited).map((c) => `${c.line}: ${c.cited}`),
            ["1: test/monitoring/tools/build-promtool.sh"],
        );
        // services/README.md cites its own tree (`test/lib/service.ts` is services/test/lib/service.ts).
        assert.deepEqual(missingCitations(citedPaths("services/README.md", "`test/lib/service.ts`", topLevel)), []);
    });
});
