import * as assert from "node:assert";
import { parseEngineEvents } from "../../delivery/engine-events";
import { decide, resourceRef, type StackSummary, summarizeStack } from "../../delivery/summary";
import { DEPLOYMENT, diagnostic, NAMESPACE, recorded, SERVICE, STACK_URN, step, stream, summary, urn, violation } from "./events";

function summarize(events: ReturnType<typeof step>[], stderr = ""): StackSummary {
    return summarizeStack("dev", parseEngineEvents(stream(events)), stderr);
}

describe("parseEngineEvents", () => {
    it("reads one event per line and keeps other lines aside", () => {
        const parsed = parseEngineEvents(`${stream([summary("succeeded")])}\nerror: something\n[1,2]\n`);
        assert.strictEqual(parsed.events.length, 1);
        assert.deepStrictEqual(parsed.strayLines, ["error: something", "[1,2]"]);
    });

    it("refuses the preview digest with the variable that turns on the event stream", () => {
        const digest = JSON.stringify({ steps: [], diagnostics: [], changeSummary: { create: 1 } }, null, 4);
        assert.throws(() => parseEngineEvents(digest), /PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true/);
    });
});

describe("resourceRef", () => {
    const cases: [string, { type: string; kind: string; name: string }][] = [
        [DEPLOYMENT, { type: "kubernetes:apps/v1:Deployment", kind: "Deployment", name: "blog-auth" }],
        [NAMESPACE, { type: "kubernetes:core/v1:Namespace", kind: "Namespace", name: "blog" }],
        [urn("pulumi:providers:kubernetes", "cluster"), { type: "pulumi:providers:kubernetes", kind: "kubernetes", name: "cluster" }],
        [
            urn("random:index/randomPassword:RandomPassword", "db::password"),
            { type: "random:index/randomPassword:RandomPassword", kind: "RandomPassword", name: "db::password" },
        ],
        ["not-a-urn", { type: "", kind: "", name: "not-a-urn" }],
    ];
    for (const [input, expected] of cases) {
        it(`reads ${expected.kind || "a non-URN"} ${expected.name} from its URN`, () => {
            const { type, kind, name } = resourceRef(input);
            assert.deepStrictEqual({ type, kind, name }, expected);
        });
    }
});

describe("summarizeStack", () => {
    it("counts each resource once by its last operation, folding replacement sub-steps and refreshes", () => {
        const s = summarize([
            step("refresh", DEPLOYMENT),
            step("refresh", SERVICE),
            step("same", STACK_URN),
            step("update", DEPLOYMENT, ["spec"]),
            step("create-replacement", SERVICE),
            step("replace", SERVICE, ["spec"]),
            step("delete-replaced", SERVICE),
            step("create", NAMESPACE),
            step("read", urn("kubernetes:core/v1:ConfigMap", "external")),
            summary("succeeded"),
        ]);
        assert.deepStrictEqual(s.changes, { create: 1, update: 1, replace: 1, delete: 0, import: 0 });
        assert.strictEqual(s.unchanged, 1);
        assert.deepStrictEqual(
            s.changed.map((c) => `${c.op} ${c.resource.name} [${c.properties}]`),
            ["create blog []", "update blog-auth [spec]", "replace blog-auth [spec]"],
        );
        assert.deepStrictEqual(s.errors, []);
        assert.strictEqual(s.succeeded, true);
    });

    it("names the exact changed paths from the detailed diff when the provider computed one", () => {
        const s = summarize([
            step("update", DEPLOYMENT, ["spec"], ["spec.template.spec.containers[0].image", "spec.replicas"]),
            summary("succeeded"),
        ]);
        assert.deepStrictEqual(s.changed[0].properties, ["spec.replicas", "spec.template.spec.containers[0].image"]);
    });

    it("orders findings mandatory first, then by rule and resource, and keeps stack-wide ones without a resource", () => {
        const s = summarize([
            violation("health-probes", "advisory", DEPLOYMENT, "Add a readiness probe."),
            violation("pss-privileged", "mandatory", SERVICE, "Set privileged: false."),
            violation("pss-privileged", "mandatory", DEPLOYMENT, "Set privileged: false."),
            violation("network-default-deny", "advisory", STACK_URN, "Add a default-deny NetworkPolicy."),
            violation("pss-privileged", "mandatory", DEPLOYMENT, "Set privileged: false."),
            diagnostic("error", "preview failed"),
            summary("failed"),
        ]);
        assert.deepStrictEqual(
            s.findings.map((f) => `${f.enforcement} ${f.policy} ${f.resource ? `${f.resource.kind}/${f.resource.name}` : "stack"}`),
            [
                "mandatory pss-privileged Deployment/blog-auth",
                "mandatory pss-privileged Service/blog-auth",
                "advisory health-probes Deployment/blog-auth",
                "advisory network-default-deny stack",
            ],
        );
        assert.strictEqual(s.findings[0].description, "Description of pss-privileged.");
        assert.strictEqual(s.findings[0].message, "Set privileged: false.");
        assert.deepStrictEqual(s.errors, [], "the bare 'preview failed' is explained by the mandatory findings");
    });

    it("keeps a failure nobody explained as an error, with the CLI's own reason when it gave one", () => {
        const s = summarize([diagnostic("error", "preview failed"), summary("failed")], "error: could not reach the cluster\n");
        assert.deepStrictEqual(s.errors, ["the preview failed: could not reach the cluster"]);
    });

    it("reports a preview that stopped before the engine's summary as an error", () => {
        const s = summarize([step("create", NAMESPACE)], "error: failed to decrypt: incorrect passphrase\n");
        assert.strictEqual(s.succeeded, false);
        assert.deepStrictEqual(s.errors, ["the preview stopped before the engine finished: failed to decrypt: incorrect passphrase"]);
    });

    it("names the resource a provider error is about", () => {
        const s = summarize([
            diagnostic("error", "dry run failed: admission webhook denied the request", DEPLOYMENT),
            diagnostic("error", "preview failed"),
            summary("failed"),
        ]);
        assert.deepStrictEqual(s.errors, ["Deployment blog-auth: dry run failed: admission webhook denied the request"]);
    });

    it("strips colour codes from messages", () => {
        const s = summarize([diagnostic("error", "\u001b[31mboom\u001b[0m"), summary("failed")]);
        assert.deepStrictEqual(s.errors, ["boom"]);
    });
});

describe("summarizeStack on recorded CLI 3.259 streams", () => {
    it("finds the mandatory, advisory and stack-wide findings of a preview the policy pack stopped", () => {
        const s = recorded("policy-findings");
        assert.strictEqual(s.succeeded, false);
        assert.deepStrictEqual(s.errors, []);
        assert.deepStrictEqual(s.changes, { create: 3, update: 0, replace: 0, delete: 0, import: 0 });
        assert.deepStrictEqual(
            s.findings.map((f) => `${f.enforcement} ${f.policy} ${f.resource?.name ?? "(stack)"}: ${f.message}`),
            [
                "mandatory no-privileged a: Thing is privileged. Set privileged: false.",
                "advisory single-thing (stack): The stack holds 2 things.",
                "advisory value-two a: value is 1. Set it to 2.",
                "advisory value-two b: value is 1. Set it to 2.",
            ],
        );
    });

    it("lists remediations apart from violations", () => {
        const s = recorded("policy-remediation");
        assert.strictEqual(s.succeeded, true);
        assert.deepStrictEqual(
            s.remediations.map((r) => `${r.policy} ${r.resource?.name}`),
            ["value-three-becomes-two a"],
        );
        assert.ok(s.findings.every((f) => f.enforcement === "advisory"));
    });

    it("reads a program's own error, without the engine's bare 'preview failed'", () => {
        const s = recorded("program-error");
        assert.strictEqual(s.errors.length, 1);
        assert.match(s.errors[0], /^Missing required configuration variable 'delivery-probe:value'/);
    });

    it("sees no change after an up, and the changed property once the program differs from the live state", () => {
        assert.deepStrictEqual(recorded("drift-none").changed, []);
        const drift = recorded("drift-update");
        assert.deepStrictEqual(
            drift.changed.map((c) => `${c.op} ${c.resource.name} ${c.properties}`),
            ["update a value"],
        );
        assert.deepStrictEqual(drift.errors, [], "--expect-no-changes' own complaint is the drift, not an error");
    });

    it("turns a CLI that stopped before any event into one error naming the CLI's reason", () => {
        assert.deepStrictEqual(recorded("stack-missing").errors, [
            "the preview stopped before the engine finished: no stack named 'missing' found",
        ]);
    });
});

describe("decide", () => {
    const clean = summarize([step("same", STACK_URN), summary("succeeded")]);
    const advisory = summarize([violation("health-probes", "advisory", DEPLOYMENT, "Add a probe."), summary("succeeded")]);
    const mandatory = summarize([
        violation("pss-privileged", "mandatory", DEPLOYMENT, "Set privileged: false."),
        diagnostic("error", "preview failed"),
        summary("failed"),
    ]);
    const broken = summarize([diagnostic("error", "blog:imageTag must not be latest"), summary("failed")]);
    const manyBroken = summarize([
        ...[0, 1, 2, 3, 4].map((i) =>
            violation("allowed-registries", "mandatory", DEPLOYMENT.replace("blog-auth", `svc-${i}`), "Mirror the image."),
        ),
        violation("pss-privileged", "mandatory", DEPLOYMENT, "Set privileged: false."),
        summary("failed"),
    ]);
    const drifted = summarize([step("refresh", DEPLOYMENT), step("update", DEPLOYMENT, ["spec"]), summary("succeeded")]);

    const cases: [string, Parameters<typeof decide>[0], StackSummary[], boolean, RegExp[]][] = [
        ["passes the PR check on clean previews", "pr-check", [clean, clean], true, []],
        ["passes the PR check on advisory findings only", "pr-check", [advisory], true, []],
        [
            "fails the PR check on a mandatory violation, naming rule and resource",
            "pr-check",
            [clean, mandatory],
            false,
            [/^dev: mandatory policy pss-privileged violated by Deployment blog-auth$/],
        ],
        [
            "gives one reason per broken rule, listing a few resources and counting the rest",
            "pr-check",
            [manyBroken],
            false,
            [
                /^dev: mandatory policy allowed-registries violated by Deployment svc-0, Deployment svc-1, Deployment svc-2 and 2 more$/,
                /^dev: mandatory policy pss-privileged violated by Deployment blog-auth$/,
            ],
        ],
        ["fails the PR check on a preview error", "pr-check", [broken], false, [/^dev: preview error: blog:imageTag must not be latest$/]],
        ["passes the PR check on changes (changes are what a PR is for)", "pr-check", [drifted], true, []],
        ["passes the drift check when nothing changed", "drift", [clean], true, []],
        [
            "fails the drift check on any change, naming the resources",
            "drift",
            [drifted],
            false,
            [/^dev: drift on 1 resource: update Deployment blog-auth$/],
        ],
        ["fails the drift check on a preview error", "drift", [broken], false, [/preview error/]],
        ["ignores policy findings in the drift check", "drift", [advisory], true, []],
    ];
    for (const [title, check, stacks, passed, reasons] of cases) {
        it(title, () => {
            const report = decide(check, stacks);
            assert.strictEqual(report.passed, passed);
            assert.strictEqual(report.reasons.length, reasons.length, report.reasons.join("\n"));
            reasons.forEach((pattern, i) => {
                assert.match(report.reasons[i], pattern);
            });
        });
    }
});
