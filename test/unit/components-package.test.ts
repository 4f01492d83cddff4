import * as assert from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pkg from "../../components";
import { PlatformNamespace } from "../../components/namespace/component";
import { MonitoringStack } from "../../components/monitoring";
import { Postgres } from "../../components/postgres/component";
import { Redis } from "../../components/redis/component";
import { StatelessService } from "../../components/service/component";
import { createGeneratedSecret } from "../../components/shared/generated-secret";
import { labelling, labellingProblems, PART_OF, selectorLabels, setLabelling } from "../../components/shared/labels";
import {
    CONFIG_CHECKSUM_ANNOTATION,
    hardenedContainer,
    podTemplate,
    Probe,
    SECRETS_CHECKSUM_ANNOTATION,
} from "../../components/shared/workload";
import { platformResources } from "../../harness/platform";
import { type Resource, runPack } from "../../harness/policy-host";
import type { RecordedResource } from "../../harness/record";
import { BASELINE_CONFIG, examplePolicyConfig } from "../helpers/example";
import { REPO_ROOT } from "../helpers/stack-config";

const PART_OF_LABEL = "app.kubernetes.io/part-of";

/** Every label map and selector in a manifest, by where it sits (labels, selectors, peers, claim templates). */
function labelMaps(value: unknown, at = ""): { at: string; labels: Record<string, string> }[] {
    if (value === null || typeof value !== "object") {
        return [];
    }
    const found: { at: string; labels: Record<string, string> }[] = [];
    for (const [key, child] of Object.entries(value)) {
        const here = `${at}.${key}`;
        if ((key === "labels" || key === "matchLabels" || (key === "selector" && !("matchLabels" in (child ?? {})))) && child) {
            found.push({ at: here, labels: child as Record<string, string> });
        } else {
            found.push(...labelMaps(child, here));
        }
    }
    return found;
}

/** Annotation keys of the pod templates in a manifest. */
function podAnnotationKeys(props: any): string[] {
    return Object.keys(props?.spec?.template?.metadata?.annotations ?? {});
}

const byKind = (resources: RecordedResource[], kind: string) => resources.filter((r) => r.type.endsWith(`:${kind}`));

describe("the components package (components/index.ts)", () => {
    it("exports the reusable components, the same classes and functions the platform imports", () => {
        assert.strictEqual(pkg.StatelessService, StatelessService);
        assert.strictEqual(pkg.PlatformNamespace, PlatformNamespace);
        assert.strictEqual(pkg.createGeneratedSecret, createGeneratedSecret);
        assert.strictEqual(pkg.Postgres, Postgres);
        assert.strictEqual(pkg.Redis, Redis);
        assert.strictEqual(pkg.MonitoringStack, MonitoringStack);
        assert.strictEqual(pkg.selectorLabels, selectorLabels);
        for (const name of ["commonLabels", "setLabelling", "labelling", "networkPolicySpec", "Peers", "dnsEgress", "resourceSpec"]) {
            assert.ok(name in pkg, `${name} is not exported`);
        }
    });
});

describe("labelling (components/shared/labels.ts)", () => {
    it("renders the platform's labels and annotation keys by default", () => {
        assert.deepStrictEqual(labelling(), { partOf: "blog-platform", annotationPrefix: "blog.example.com" });
        assert.strictEqual(PART_OF, "blog-platform");
        assert.deepStrictEqual(selectorLabels("auth"), { "app.kubernetes.io/name": "auth", [PART_OF_LABEL]: "blog-platform" });
        assert.strictEqual(CONFIG_CHECKSUM_ANNOTATION, "blog.example.com/config-checksum");
        assert.strictEqual(SECRETS_CHECKSUM_ANNOTATION, "blog.example.com/secrets-checksum");
        const main = hardenedContainer({
            name: "app",
            image: "registry.example.com/app:1.0.0",
            resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
            probes: {
                liveness: Probe.tcp("http", { periodSeconds: 10, failureThreshold: 3 }),
                readiness: Probe.http("/ready", "http", { periodSeconds: 5, failureThreshold: 2 }),
            },
        });
        const pod = podTemplate({
            workload: "app",
            component: "api",
            uid: 1000,
            containers: [main],
            configChecksum: "c",
            secretsChecksum: "s",
        });
        assert.deepStrictEqual((pod.metadata as any)?.annotations, {
            "blog.example.com/config-checksum": "c",
            "blog.example.com/secrets-checksum": "s",
        });
    });

    it("labels every object of the platform's dev stack part-of blog-platform, and annotates only under blog.example.com", async () => {
        const resources = await platformResources("dev");
        const partOf = new Set(
            resources.flatMap((r) => labelMaps(r.props).flatMap(({ labels }) => (PART_OF_LABEL in labels ? [labels[PART_OF_LABEL]] : []))),
        );
        assert.deepStrictEqual([...partOf], ["blog-platform"]);
        const namespace = resources.find((r) => r.type === "kubernetes:core/v1:Namespace");
        assert.strictEqual(namespace?.props.metadata.labels[PART_OF_LABEL], "blog-platform");
        const prefixes = new Set(
            resources
                .flatMap((r) => podAnnotationKeys(r.props).filter((key) => !key.startsWith("prometheus.io/")))
                .map((k) => k.split("/")[0]),
        );
        assert.deepStrictEqual([...prefixes], ["blog.example.com"]);
    });

    it("refuses an invalid part-of value or annotation prefix, naming the key, the value and the fix", () => {
        assert.deepStrictEqual(labellingProblems({ partOf: "shop", annotationPrefix: "shop.example.com" }), []);
        assert.deepStrictEqual(labellingProblems({ partOf: "-shop!", annotationPrefix: "Shop.example.com/" }), [
            "labelling.partOf must be a Kubernetes label value: 1-63 letters, digits, '-', '_' or '.', beginning and ending with a " +
                'letter or digit (got "-shop!"). Pass e.g. setLabelling({ partOf: "shop" }).',
            'labelling.annotationPrefix must be a DNS subdomain without the slash, at most 253 characters (got "Shop.example.com/"). ' +
                'Pass a domain you own, e.g. setLabelling({ annotationPrefix: "shop.example.com" }).',
        ]);
        assert.match(labellingProblems({ annotationPrefix: "apps.kubernetes.io" })[0], /must not be under kubernetes.io or k8s.io/);
        assert.throws(() => setLabelling({ partOf: "x".repeat(64) }), /labelling\.partOf must be a Kubernetes label value/);
    });

    it("refuses a change once a component has read the labelling, and accepts the same value again", () => {
        selectorLabels("anything");
        assert.throws(() => setLabelling({ partOf: "shop" }), /setLabelling must be called before any component is created/);
        assert.deepStrictEqual(setLabelling({ partOf: "blog-platform" }), labelling());
        assert.strictEqual(labelling().partOf, "blog-platform");
    });
});

describe("the example program (examples/two-services) under Pulumi's mocks", () => {
    let resources: RecordedResource[];
    before(function () {
        this.timeout(120_000);
        // A process of its own: the example sets its labelling for the whole program, as an adopter's does.
        const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "example-")), "resources.json");
        const child = spawnSync(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", path.join(REPO_ROOT, "test", "helpers", "record-example.ts"), out],
            { cwd: REPO_ROOT, encoding: "utf8", timeout: 110_000 },
        );
        assert.strictEqual(child.status, 0, `${child.stdout}\n${child.stderr}`);
        resources = JSON.parse(fs.readFileSync(out, "utf8"));
        fs.rmSync(path.dirname(out), { recursive: true, force: true });
    });

    it("deploys two stateless services and Redis into one namespace", () => {
        assert.deepStrictEqual(
            byKind(resources, "Deployment").map((r) => r.inputs.metadata.name),
            ["cart", "storefront"],
        );
        assert.deepStrictEqual(
            byKind(resources, "StatefulSet").map((r) => r.inputs.metadata.name),
            ["redis"],
        );
        const namespaced = resources.filter((r) => r.type.startsWith("kubernetes:") && r.type !== "kubernetes:core/v1:Namespace");
        assert.deepStrictEqual([...new Set(namespaced.map((r) => r.inputs.metadata.namespace))], ["shop"]);
    });

    it("labels, selects and annotates with its own labelling, consistently, and never with the platform's", () => {
        const maps = resources.flatMap((r) => labelMaps(r.inputs).map((m) => ({ ...m, at: `${r.type} ${r.name}${m.at}` })));
        const notShop = maps.filter(({ labels }) => PART_OF_LABEL in labels && labels[PART_OF_LABEL] !== "shop");
        assert.deepStrictEqual(notShop, []);
        // Every selector the components built carries part-of, so a selector and its pods agree on it.
        // Cluster DNS is selected by its own labels, and namespaces by name.
        const selectors = maps.filter(
            ({ at, labels }) => /(matchLabels|selector)$/.test(at) && !at.includes("namespaceSelector") && !("k8s-app" in labels),
        );
        const partOfless = selectors.filter(({ labels }) => !(PART_OF_LABEL in labels));
        assert.deepStrictEqual(partOfless, []);
        assert.ok(selectors.length >= 10, `only ${selectors.length} selectors found`);
        const namespace = byKind(resources, "Namespace")[0];
        assert.strictEqual(namespace.inputs.metadata.labels[PART_OF_LABEL], "shop");
        const annotations = Object.fromEntries(
            [...byKind(resources, "Deployment"), ...byKind(resources, "StatefulSet")].map((r) => [
                r.inputs.metadata.name,
                podAnnotationKeys(r.inputs).filter((key) => !key.startsWith("prometheus.io/")),
            ]),
        );
        assert.deepStrictEqual(annotations, {
            cart: ["shop.example.com/secrets-checksum"],
            storefront: ["shop.example.com/config-checksum"],
            redis: ["shop.example.com/secrets-checksum"],
        });
        const text = JSON.stringify(resources);
        assert.ok(!text.includes("blog-platform") && !text.includes("blog.example.com"), "the platform's labelling leaks into the example");
    });

    it("passes the policy pack with baseline.json and the example's registry: no finding at any level", async () => {
        const asPack: Resource[] = resources.map((r) => ({ type: r.type, name: r.name, props: r.inputs }));
        const violations = await runPack(asPack, examplePolicyConfig() as any);
        assert.deepStrictEqual(
            violations.map((v) => `${v.policy}: ${v.message}`),
            [],
        );
    });

    it("fails closed with baseline.json alone: every image is refused until an adopter names their registries", async () => {
        const asPack: Resource[] = resources.map((r) => ({ type: r.type, name: r.name, props: r.inputs }));
        const violations = await runPack(asPack, JSON.parse(fs.readFileSync(BASELINE_CONFIG, "utf8")));
        assert.deepStrictEqual([...new Set(violations.map((v) => v.policy))], ["allowed-registries"]);
        assert.ok(violations.every((v) => v.message.includes("(registry.invalid)")));
    });
});

describe("policy/config/baseline.json", () => {
    it("is neutral: no exemptions and nothing of the platform's (its registries, names or namespaces)", () => {
        const text = fs.readFileSync(BASELINE_CONFIG, "utf8");
        assert.doesNotMatch(text, /exemptions|blog|postgres|redis|prometheus|grafana|docker\.io|quay\.io|127\.0\.0\.1/);
    });
});

describe("the declaration build (npm run build:components)", () => {
    // tsconfig.components.json's rootDir makes the build fail if the entry reaches a module outside components/.
    it("emits .js and .d.ts that Node and TypeScript reach through the package name's exports map", function () {
        this.timeout(120_000);
        // What the npm script runs: a clean output folder, then tsc with the package's own tsconfig.
        const script = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")).scripts["build:components"];
        assert.match(script, /rmSync\('bin\/components'.*&& tsc -p tsconfig\.components\.json$/);
        fs.rmSync(path.join(REPO_ROOT, "bin", "components"), { recursive: true, force: true });
        const tscBin = require.resolve("typescript/bin/tsc");
        const build = spawnSync(process.execPath, [tscBin, "-p", "tsconfig.components.json"], { cwd: REPO_ROOT, encoding: "utf8" });
        assert.strictEqual(build.status, 0, `${build.stdout}\n${build.stderr}`);
        const dts = fs.readFileSync(path.join(REPO_ROOT, "bin", "components", "index.d.ts"), "utf8");
        assert.match(dts, /StatelessService/);
        assert.match(dts, /setLabelling/);
        assert.ok(fs.existsSync(path.join(REPO_ROOT, "bin", "components", "service", "spec.d.ts")));
        assert.strictEqual(require.resolve("blog-platform/components"), path.join(REPO_ROOT, "bin", "components", "index.js"));
        const built = require("blog-platform/components");
        assert.deepStrictEqual(Object.keys(built).sort(), Object.keys(pkg).sort());

        // A consumer type-checked against the declarations only (node16 resolution reads the exports map).
        const consumerDir = path.join(REPO_ROOT, "bin", "components-consumer");
        fs.mkdirSync(consumerDir, { recursive: true });
        fs.writeFileSync(
            path.join(consumerDir, "consumer.ts"),
            [
                'import { type StatelessServiceArgs, resourceSpec, setLabelling } from "blog-platform/components";',
                'setLabelling({ partOf: "shop" });',
                'const resources = resourceSpec("1m", "1Mi", "1m", "1Mi");',
                'export const args: StatelessServiceArgs = { namespace: "shop", image: "registry.example.com/a:1.0.0", resources };',
                "",
            ].join("\n"),
        );
        const tsc = spawnSync(
            process.execPath,
            [
                tscBin,
                "--noEmit",
                "--strict",
                "--skipLibCheck",
                "--module",
                "node16",
                "--moduleResolution",
                "node16",
                "--types",
                "node",
                path.join(consumerDir, "consumer.ts"),
            ],
            { cwd: REPO_ROOT, encoding: "utf8" },
        );
        assert.strictEqual(tsc.status, 0, `${tsc.stdout}\n${tsc.stderr}`);
    });
});
