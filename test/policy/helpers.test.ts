import * as assert from "node:assert";
import { imageName, isAllowedImage, parseImage } from "../../policy/lib/image";
import { parseQuantity } from "../../policy/lib/quantity";
import { LabelIndex, labelSelector, matches, type Selectable, type Selector } from "../../policy/lib/selectors";
import { resolve, UNKNOWN } from "../../policy/lib/values";
import { unknownValue } from "../../harness/policy-host";

describe("image references", () => {
    const cases: [string, string, string | undefined, string | undefined][] = [
        ["nginx", "docker.io/library/nginx", undefined, undefined],
        ["nginx:1.27", "docker.io/library/nginx", "1.27", undefined],
        ["bitnami/redis:7", "docker.io/bitnami/redis", "7", undefined],
        ["registry.example.com:5000/team/app:1.2.3", "registry.example.com:5000/team/app", "1.2.3", undefined],
        ["localhost/app@sha256:abc", "localhost/app", undefined, "sha256:abc"],
        ["ghcr.io/org/app:v1@sha256:def", "ghcr.io/org/app", "v1", "sha256:def"],
    ];
    for (const [reference, name, tag, digest] of cases) {
        it(`reads ${reference} as ${name}, tag ${tag ?? "none"}, digest ${digest ?? "none"}`, () => {
            const image = parseImage(reference);
            assert.deepStrictEqual([imageName(image), image.tag, image.digest], [name, tag, digest]);
        });
    }

    it("allows an image under an allowlisted prefix only on a path boundary", () => {
        assert.ok(isAllowedImage(parseImage("redis:7"), ["docker.io/library"]));
        assert.ok(!isAllowedImage(parseImage("docker.io/library-evil/redis:7"), ["docker.io/library"]));
        assert.ok(isAllowedImage(parseImage("registry.example.com/blog/auth:1"), ["registry.example.com/blog/"]));
    });
});

describe("resource quantities", () => {
    for (const [text, value] of [
        ["250m", 0.25],
        ["2", 2],
        ["1.5", 1.5],
        ["128Mi", 128 * 2 ** 20],
        ["1G", 1e9],
        ["1e3", 1000],
    ] as const) {
        it(`reads ${text} as ${value}`, () => assert.strictEqual(parseQuantity(text), value));
    }
    it("rejects malformed quantities", () => assert.strictEqual(parseQuantity("12 Mi"), undefined));
});

/** The selector of a well-formed LabelSelector, failing the test if labelSelector rejects it. */
function selectorOf(value: unknown): Selector {
    const selector = labelSelector(value);
    if (selector === undefined) {
        throw new Error(`labelSelector rejected ${JSON.stringify(value)}`);
    }
    return selector;
}

describe("label selectors", () => {
    const labels = { app: "web", tier: "front" };
    it("applies matchLabels and every expression operator", () => {
        const selector = selectorOf({
            matchLabels: { app: "web" },
            matchExpressions: [
                { key: "tier", operator: "In", values: ["front", "edge"] },
                { key: "legacy", operator: "DoesNotExist" },
                { key: "tier", operator: "NotIn", values: ["back"] },
                { key: "app", operator: "Exists" },
            ],
        });
        assert.strictEqual(matches(selector, labels), "yes");
        assert.strictEqual(matches(selector, { ...labels, legacy: "1" }), "no");
    });

    it("answers maybe, never no, when a label or the selector is not known", () => {
        assert.strictEqual(matches(selectorOf({ matchLabels: { app: "web" } }), { app: UNKNOWN }), "maybe");
        assert.strictEqual(matches(UNKNOWN, labels), "maybe");
    });

    it("looks a selector up by its narrowest requirement, not by scanning", () => {
        const items: Selectable[] = Array.from({ length: 1000 }, (_, i) => ({
            namespace: "ns",
            labels: { "part-of": "shop", name: `w${i}` },
        }));
        const index = new LabelIndex(items);
        const candidates = index.candidates(selectorOf({ matchLabels: { "part-of": "shop", name: "w7" } }), "ns");
        assert.deepStrictEqual(candidates, [items[7]]);
        assert.deepStrictEqual(index.candidates(selectorOf({ matchLabels: { name: "w7" } }), "other"), []);
    });

    it("keeps items whose namespace or labels are not known among every lookup's candidates", () => {
        const unknownNamespace: Selectable = { namespace: UNKNOWN, labels: { name: "w1" } };
        const unknownLabels: Selectable = { namespace: "ns", labels: UNKNOWN };
        const index = new LabelIndex([unknownNamespace, unknownLabels]);
        assert.deepStrictEqual(
            new Set(index.candidates(selectorOf({ matchLabels: { name: "w1" } }), "ns")),
            new Set([unknownNamespace, unknownLabels]),
        );
    });
});

describe("resolving proxied properties", () => {
    it("turns the engine's unknown sentinels into UNKNOWN and keeps everything else", () => {
        assert.deepStrictEqual(resolve({ a: unknownValue.string, b: [1, unknownValue.object], c: { d: "x" } }), {
            a: UNKNOWN,
            b: [1, UNKNOWN],
            c: { d: "x" },
        });
    });
});
