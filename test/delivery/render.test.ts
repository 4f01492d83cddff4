import * as assert from "node:assert";
import { parseEngineEvents } from "../../delivery/engine-events";
import { renderMarkdown, renderText } from "../../delivery/render";
import { decide, summarizeStack } from "../../delivery/summary";
import { DEPLOYMENT, diagnostic, NAMESPACE, recorded, SERVICE, step, stream, summary, violation } from "./events";

describe("renderText", () => {
    it("leads with the verdict and its reasons, then each stack's changes and findings by rule", () => {
        const text = renderText(decide("pr-check", [recorded("policy-findings"), recorded("policy-remediation")]));
        assert.strictEqual(
            text,
            [
                "pr-check: FAILED (policy-findings, policy-remediation)",
                "  ✗ policy-findings: mandatory policy no-privileged violated by Resource a",
                "",
                "policy-findings: preview stopped by policy — 3 to create (0 unchanged)",
                "  policy violations: 1 mandatory, 3 advisory",
                "    [mandatory] no-privileged: Things must not be privileged.",
                "      Resource a: Thing is privileged. Set privileged: false.",
                "    [advisory] single-thing: A stack should hold one thing.",
                "      the stack: The stack holds 2 things.",
                "    [advisory] value-two: Things should have value 2.",
                "      Resource a: value is 1. Set it to 2.",
                "      Resource b: value is 1. Set it to 2.",
                "",
                "policy-remediation: preview ok — 3 to create (0 unchanged)",
                "  policy violations: 2 advisory",
                "    [advisory] single-thing: A stack should hold one thing.",
                "      the stack: The stack holds 2 things.",
                "    [advisory] value-two: Things should have value 2.",
                "      Resource b: value is 1. Set it to 2.",
                "  remediated by policy: value-three-becomes-two (1 resource)",
                "",
            ].join("\n"),
        );
    });

    it("lists drifted resources with their changed properties", () => {
        const text = renderText(decide("drift", [recorded("drift-none"), recorded("drift-update")]));
        assert.match(text, /^drift: FAILED \(drift-none, drift-update\)\n {2}✗ drift-update: drift on 1 resource: update Resource a\n/);
        assert.match(text, /\ndrift-none: preview ok — no changes \(3 unchanged\)\n/);
        assert.match(text, /\n {2}update {3}Resource a \(value\)\n/);
        assert.doesNotMatch(text, /policy violations/, "drift runs without the policy pack");
    });

    it("says nothing was previewed when the CLI stopped early, instead of claiming no changes", () => {
        const text = renderText(decide("pr-check", [recorded("stack-missing")]));
        assert.match(
            text,
            new RegExp(
                String.raw`stack-missing: preview error — nothing previewed\n {2}error: the preview stopped before the engine ` +
                    String.raw`finished: no stack named 'missing' found\n`,
            ),
        );
        assert.doesNotMatch(text, /policy violations: none/);
    });

    it("cuts long lists in the terminal and says how many more there are", () => {
        const events = Array.from({ length: 14 }, (_, i) =>
            violation(
                "container-resources",
                "advisory",
                DEPLOYMENT.replace("blog-auth", `svc-${String(i).padStart(2, "0")}`),
                "Set limits.",
            ),
        );
        const text = renderText(decide("pr-check", [summarizeStack("dev", parseEngineEvents(stream([...events, summary("succeeded")])))]));
        assert.match(text, /Deployment svc-09: Set limits\.\n {6}… and 4 more\n/);
        assert.doesNotMatch(text, /svc-10/);
    });
});

describe("renderMarkdown", () => {
    const report = decide("pr-check", [
        summarizeStack(
            "prod",
            parseEngineEvents(
                stream([
                    step("create", NAMESPACE),
                    step("update", SERVICE, ["spec", "metadata"]),
                    violation("pss-privileged", "mandatory", DEPLOYMENT, "Container app is privileged | set privileged: false."),
                    diagnostic("error", "preview failed"),
                    summary("failed"),
                ]),
            ),
        ),
    ]);
    const markdown = renderMarkdown(report);

    it("heads the summary with the verdict and lists the reasons", () => {
        assert.match(
            markdown,
            /^## ❌ Pulumi preview with policies: FAILED\n\n- prod: mandatory policy pss-privileged violated by Deployment blog-auth\n/,
        );
    });

    it("tabulates changes by operation", () => {
        assert.match(
            markdown,
            /\| create \| update \| replace \| delete \| import \| unchanged \|\n\|( ---: \|){6}\n\| 1 \| 1 \| 0 \| 0 \| 0 \| 0 \|/,
        );
    });

    it("tabulates policy findings with level, rule, resource and message, escaping pipes", () => {
        assert.match(
            markdown,
            /\| mandatory \| `pss-privileged` \| Deployment blog-auth \| Container app is privileged \\\| set privileged: false\. \|/,
        );
    });

    it("folds the changed resources away with their properties", () => {
        assert.match(
            markdown,
            new RegExp(
                String.raw`<details><summary>2 changed resources<\/summary>\n\n\| Operation \| Resource \| Properties \|\n\| ` +
                    String.raw`--- \| --- \| --- \|\n\| create \| Namespace blog \| {2}\|\n\| update \| Service blog-auth \| spec, ` +
                    String.raw`metadata \|\n\n<\/details>`,
            ),
        );
    });

    it("says so when a passing preview had no findings", () => {
        const clean = renderMarkdown(decide("pr-check", [recorded("drift-none")]));
        assert.match(clean, /^## ✅ Pulumi preview with policies: passed\n/);
        assert.match(clean, /No policy violations\./);
    });
});
