import * as assert from "node:assert";
import { parseQuantity } from "../../components/shared/quantity";
import { quotaFor } from "../../components/shared/resources";
import { deploymentOrder, SERVICE_NAMES, serviceEdges } from "../../components/shared/topology";
import { restrictedPodSecurityContext } from "../../components/shared/security";

describe("parseQuantity", () => {
    const cases: [string, number | undefined][] = [
        ["100m", 0.1],
        ["1", 1],
        ["1.5", 1.5],
        ["128Mi", 128 * 2 ** 20],
        ["1Gi", 2 ** 30],
        ["500M", 5e8],
        ["1e3", 1000],
        ["128MB", undefined],
        ["", undefined],
        ["-1", undefined],
        ["1 Gi", undefined],
        ["Mi", undefined],
        ["1gi", undefined],
    ];
    for (const [text, expected] of cases) {
        it(`reads ${JSON.stringify(text)} as ${expected}`, () => assert.strictEqual(parseQuantity(text), expected));
    }
});

describe("quotaFor", () => {
    it("admits every workload at its maximum scale plus one surge pod", () => {
        const quota = quotaFor([
            { resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } }, maxPods: 3 },
            { resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } }, maxPods: 1 },
        ]);
        assert.deepStrictEqual(quota, {
            "requests.cpu": "2400m",
            "requests.memory": "2560Mi",
            "limits.cpu": "4800m",
            "limits.memory": "5120Mi",
            pods: "6",
        });
    });
});

describe("service graph", () => {
    it("derives the gateway's edges from the routes and the rest from declared dependencies", () => {
        // The edges of the services this table knows; another service's come from its catalogue entry.
        const known = new Set(["gateway", "frontend", "auth", "blog", "comment", "image"]);
        const edges = serviceEdges(["auth", "frontend", "auth"])
            .filter((e) => known.has(e.from.replace(/-migrate$/, "")))
            .map((e) => `${e.from}->${e.to}:${e.port}`);
        assert.deepStrictEqual(edges, [
            "gateway->auth:8080",
            "gateway->frontend:8080",
            "auth->postgres:5432",
            "auth->redis:6379",
            "blog->postgres:5432",
            "blog->redis:6379",
            "blog->auth:8080",
            "blog->image:8080",
            "comment->postgres:5432",
            "comment->auth:8080",
            "comment->blog:8080",
            "image->postgres:5432",
            "image->auth:8080",
            "auth-migrate->postgres:5432",
            "blog-migrate->postgres:5432",
            "comment-migrate->postgres:5432",
            "image-migrate->postgres:5432",
        ]);
    });

    it("orders services after everything they call", () => {
        const order = deploymentOrder(serviceEdges(["auth", "blog", "comment", "image", "frontend"]));
        assert.ok(order.indexOf("image") < order.indexOf("blog"));
        assert.ok(order.indexOf("auth") < order.indexOf("image"));
        assert.ok(order.indexOf("blog") < order.indexOf("comment"));
        assert.ok(order.indexOf("blog") < order.indexOf("gateway"));
        assert.deepStrictEqual([...order].sort(), [...SERVICE_NAMES].sort());
    });

    it("rejects a cycle", () => {
        assert.throws(
            () =>
                deploymentOrder([
                    { from: "auth", to: "blog", port: 1 },
                    { from: "blog", to: "auth", port: 1 },
                ]),
            /cycle/,
        );
    });
});

describe("security defaults", () => {
    it("refuses UID 0 for a pod", () => {
        assert.throws(() => restrictedPodSecurityContext(0), /non-zero integer UID \(got 0\)/);
    });
});
