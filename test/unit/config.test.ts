import * as assert from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CONFIG_KEYS, ConfigError, DEFAULTS, parseConfig } from "../../config";
import { localFiles } from "../../config/kubeconfig";
import { SERVICE_NAMES } from "../../components/shared/topology";
import { itRejectsEach, problemsOf } from "../helpers/config-problems";
import { projectConfigDeclarations, stackConfig } from "../helpers/stack-config";

/** The services whose image the platform builds (all but the gateway, which runs upstream nginx). */
const BUILT_HERE = SERVICE_NAMES.filter((name) => name !== "gateway");

function devWith(overrides: Record<string, unknown>): Record<string, string> {
    return stackConfig("dev", overrides);
}

describe("config", () => {
    it("declares in Pulumi.yaml exactly the keys the program reads, each with a description", () => {
        const declared = projectConfigDeclarations();
        assert.deepStrictEqual(Object.keys(declared).sort(), CONFIG_KEYS.map((k) => `blog:${k}`).sort());
        for (const [key, declaration] of Object.entries(declared)) {
            assert.ok(declaration.type, `${key} has a type`);
            assert.ok((declaration.description ?? "").length > 20, `${key} has a description`);
        }
    });

    it("keeps the fields' defaults in config/defaults.ts only: Pulumi.yaml defaults structured keys to {}", () => {
        for (const [key, declaration] of Object.entries(projectConfigDeclarations()).filter(([, d]) => d.type === "object")) {
            assert.deepStrictEqual(declaration.default, {}, key);
        }
    });

    it("requires only environment: the CLI refuses a stack missing any key without a default", () => {
        const required = Object.entries(projectConfigDeclarations())
            .filter(([, d]) => d.default === undefined)
            .map(([key]) => key);
        assert.deepStrictEqual(required.sort(), ["blog:environment"]);
    });

    it("parses the dev stack into one replica each, no autoscaling, unprotected data", () => {
        const cfg = parseConfig(stackConfig("dev"));
        assert.strictEqual(cfg.environment, "dev");
        assert.strictEqual(cfg.namespace, "blog-dev");
        for (const name of SERVICE_NAMES) {
            assert.strictEqual(cfg.services[name].replicas, 1, name);
        }
        assert.strictEqual(cfg.autoscaling, false);
        assert.strictEqual(cfg.dataProtection, false);
        assert.strictEqual(cfg.admissionPolicies, false);
        assert.match(cfg.services.auth.image, /^127\.0\.0\.1:5000\/blog\/auth@sha256:[a-f0-9]{64}$/);
        assert.strictEqual(cfg.gateway.exposure, "ClusterIP");
    });

    it("parses the prod stack into replicated, autoscaled, spread, protected services", () => {
        const cfg = parseConfig(stackConfig("prod"));
        for (const name of SERVICE_NAMES) {
            assert.ok(cfg.services[name].minReplicas >= 2, `${name} minReplicas`);
        }
        assert.strictEqual(cfg.autoscaling, true);
        assert.strictEqual(cfg.spreadAcrossNodes, true);
        assert.strictEqual(cfg.dataProtection, true);
        assert.strictEqual(cfg.postgres.storageSize, "20Gi");
        assert.strictEqual(cfg.gateway.exposure, "Ingress");
    });

    it("applies the reference's resource requests by default", () => {
        const cfg = parseConfig(stackConfig("dev"));
        assert.deepStrictEqual(cfg.services.gateway.resources.requests, { cpu: "50m", memory: "64Mi" });
        assert.deepStrictEqual(cfg.services.auth.resources.requests, { cpu: "100m", memory: "128Mi" });
        assert.deepStrictEqual(cfg.services.blog.resources.requests, { cpu: "200m", memory: "256Mi" });
        assert.deepStrictEqual(cfg.services.comment.resources.requests, { cpu: "100m", memory: "128Mi" });
        assert.deepStrictEqual(cfg.gateway.routes, DEFAULTS.routes);
    });

    it("merges a per-service override field by field over the defaults", () => {
        const cfg = parseConfig(devWith({ "blog:services": { blog: { resources: { limits: { memory: "1Gi" } } } } }));
        assert.deepStrictEqual(cfg.services.blog.resources, {
            requests: { cpu: "200m", memory: "256Mi" },
            limits: { cpu: "1", memory: "1Gi" },
        });
    });

    it("waits Kubernetes' five minutes before scaling down unless a service sets its own window", () => {
        const cfg = parseConfig(devWith({ "blog:services": { blog: { scaleDownStabilizationSeconds: "30" } } }));
        assert.strictEqual(cfg.services.blog.scaleDownStabilizationSeconds, 30);
        assert.strictEqual(cfg.services.auth.scaleDownStabilizationSeconds, 300);
    });

    const badValues: [string, Record<string, unknown>, RegExp][] = [
        [
            "a scale-down window longer than the HPA allows",
            { "blog:services": { blog: { scaleDownStabilizationSeconds: 7200 } } },
            new RegExp(
                String.raw`^blog:services\.blog\.scaleDownStabilizationSeconds must be an integer from 0 to 3600 \(got 7200\)\. ` +
                    String.raw`Run: pulumi config set --path 'services\.blog\.scaleDownStabilizationSeconds' 0\.$`,
            ),
        ],
        [
            "a negative replica count",
            { "blog:services": { auth: { replicas: -1 } } },
            new RegExp(
                String.raw`^blog:services\.auth\.replicas must be an integer from 1 to 50 \(got -1\)\. Run: pulumi config set ` +
                    String.raw`--path 'services\.auth\.replicas' 1\.$`,
            ),
        ],
        [
            "a fractional replica count",
            { "blog:services": { auth: { replicas: 1.5 } } },
            /services\.auth\.replicas must be an integer from 1 to 50 \(got 1\.5\)/,
        ],
        [
            "a replica bound beyond the documented limit",
            { "blog:services": { blog: { maxReplicas: 1000000000 } } },
            new RegExp(
                String.raw`^blog:services\.blog\.maxReplicas must be an integer from 1 to 50 \(got 1000000000\)\. Run: pulumi ` +
                    String.raw`config set --path 'services\.blog\.maxReplicas' 1\.$`,
            ),
        ],
        [
            "a container limit above the namespace's ceiling",
            { "blog:postgres": { resources: { limits: { memory: "64Gi" } } } },
            /^blog:postgres\.resources\.limits\.memory must be a memory quantity like 256Mi or 1Gi .*, at most 4Gi \(got "64Gi"\)\./,
        ],
        [
            "a claim larger than the documented limit",
            { "blog:postgres": { storageSize: "100Ti" } },
            /^blog:postgres\.storageSize must be a memory quantity .*, at most 1Ti \(got "100Ti"\)\./,
        ],
        [
            "a misspelt field in a structured key",
            { "blog:postgres": { storageSizee: "5Gi" } },
            new RegExp(
                String.raw`^blog:postgres\.storageSizee must be one of the fields of postgres \(image, storageSize, .*\) \(got ` +
                    String.raw`"storageSizee"\)\. Did you mean storageSize\? Fix the name or run: pulumi config rm --path ` +
                    String.raw`'postgres\.storageSizee'\.$`,
            ),
        ],
        [
            "a latest image tag",
            { "blog:imageTag": "latest" },
            new RegExp(
                String.raw`^blog:imageTag must be a version tag like 1\.4\.2 \(not 'latest', .*\) \(got "latest"\)\. Run: ` +
                    String.raw`pulumi config set --path 'imageTag' 1\.4\.2\.$`,
            ),
        ],
        [
            "minReplicas above maxReplicas",
            { "blog:services": { blog: { minReplicas: 5, maxReplicas: 2 } } },
            /^blog:services\.blog\.maxReplicas must be at least minReplicas \(5\) \(got 2\)\./,
        ],
        [
            "a limit below its request",
            { "blog:services": { comment: { resources: { requests: { cpu: "500m" }, limits: { cpu: "200m" } } } } },
            /^blog:services\.comment\.resources\.limits\.cpu must be at least the request \(500m\) \(got "200m"\)\./,
        ],
        [
            "a malformed quantity",
            { "blog:services": { auth: { resources: { requests: { memory: "128MB" } } } } },
            /^blog:services\.auth\.resources\.requests\.memory must be a memory quantity like 256Mi or 1Gi .*\(got "128MB"\)\./,
        ],
        [
            "an untagged image",
            { "blog:services": { image: { image: "registry.example.com/blog/image" } } },
            new RegExp(
                String.raw`^blog:services\.image\.image must be an image reference pinned to a version tag or digest \(not ` +
                    String.raw`'latest'\) \(got "registry\.example\.com\/blog\/image"\)\.`,
            ),
        ],
        [
            "a latest image",
            { "blog:postgres": { image: "postgres:latest" } },
            /^blog:postgres\.image must be an image reference pinned .*\(got "postgres:latest"\)\./,
        ],
        [
            "a route to an unknown service",
            { "blog:gateway": { routes: [{ path: "/api/search/", service: "search" }] } },
            new RegExp(
                String.raw`^blog:gateway\.routes\[0\]\.service must name a service the gateway can route to \(frontend, auth, ` +
                    String.raw`blog, comment, image\) \(got "search"\)\.`,
            ),
        ],
        [
            "a route path without slashes",
            { "blog:gateway": { routes: [{ path: "api", service: "blog" }] } },
            /gateway\.routes\[0\]\.path must be a URL prefix/,
        ],
        [
            "a missing environment",
            { "blog:environment": undefined },
            /^blog:environment must be set to one of dev, prod \(got nothing\)\. Run: pulumi config set --path 'environment' dev\.$/,
        ],
        ["an unknown environment", { "blog:environment": "staging" }, /^blog:environment must be one of dev, prod \(got "staging"\)\./],
        [
            "a missing image tag",
            { "blog:imageTag": undefined, "blog:imageLock": undefined },
            new RegExp(
                `^blog:imageTag must be set to a version tag, since ${BUILT_HERE.join(", ")} set no ` +
                    String.raw`image of their own \(got nothing\)\.`,
            ),
        ],
        [
            "an unknown service name",
            { "blog:services": { serach: { replicas: 2 } } },
            /^blog:services\.serach must name a platform service/,
        ],
        [
            "an unknown exposure",
            { "blog:gateway": { exposure: "NodePort" } },
            /^blog:gateway\.exposure must be one of ClusterIP, LoadBalancer, Ingress \(got "NodePort"\)\./,
        ],
        [
            "Ingress without a domain",
            { "blog:gateway": { exposure: "Ingress" } },
            /^blog:gateway\.domain must be set when gateway\.exposure is Ingress/,
        ],
        ["a non-boolean switch", { "blog:autoscaling": "yes" }, /^blog:autoscaling must be true or false \(got "yes"\)\./],
        [
            "a non-boolean admissionPolicies",
            { "blog:admissionPolicies": "on" },
            /^blog:admissionPolicies must be true or false \(got "on"\)\./,
        ],
        ["an invalid namespace", { "blog:namespace": "Blog_Dev" }, /^blog:namespace must be a DNS-1123 label .*\(got "Blog_Dev"\)\./],
        [
            "an undeclared key",
            { "blog:replicas": "3" },
            /^blog:replicas must be one of the keys declared in Pulumi\.yaml .*Did you mean services\?/,
        ],
        [
            "a scalar where an object belongs",
            { "blog:postgres": "big" },
            /^blog:postgres must be an object \(structured config\) \(got "big"\)\./,
        ],
    ];
    itRejectsEach(badValues, devWith);

    it("requires at least two replicas, autoscaling and data protection in prod", () => {
        const problems = problemsOf(
            stackConfig("prod", {
                "blog:services": { auth: { replicas: 1, minReplicas: 1 } },
                "blog:autoscaling": false,
                "blog:dataProtection": false,
            }),
        );
        assert.ok(
            problems.some((p) => p.startsWith("blog:services.auth.replicas must be an integer from 2 to 50 in prod (got 1).")),
            problems.join("\n"),
        );
        assert.ok(
            problems.some((p) => p.startsWith("blog:autoscaling must be true in prod")),
            problems.join("\n"),
        );
        assert.ok(
            problems.some((p) => p.startsWith("blog:dataProtection must be true in prod")),
            problems.join("\n"),
        );
    });

    it("reports every problem at once rather than stopping at the first", () => {
        const problems = problemsOf(
            devWith({ "blog:autoscaling": "maybe", "blog:namespace": "UPPER", "blog:services": { auth: { replicas: 0 } } }),
        );
        assert.strictEqual(problems.length, 3, problems.join("\n"));
    });

    it("raises a RunError so the CLI prints the message without a stack trace", () => {
        // The Node language host checks this brand to print only the message.
        assert.throws(
            () => parseConfig(devWith({ "blog:autoscaling": "maybe" })),
            (error: unknown) => error instanceof ConfigError && (error as { __pulumiRunError?: boolean }).__pulumiRunError === true,
        );
    });

    it("accepts the strings pulumi config set --path stores for booleans and numbers", () => {
        const cfg = parseConfig(devWith({ "blog:autoscaling": "true", "blog:services": { blog: { replicas: "2", maxReplicas: "4" } } }));
        assert.strictEqual(cfg.autoscaling, true);
        assert.strictEqual(cfg.services.blog.replicas, 2);
        assert.strictEqual(cfg.services.blog.maxReplicas, 4);
    });

    it("reports an imageTag of latest once, on imageTag, not on the images derived from it", () => {
        const problems = problemsOf(devWith({ "blog:imageTag": "latest" }));
        assert.deepStrictEqual(
            problems.map((p) => p.split(" must ")[0]),
            ["blog:imageTag"],
        );
    });

    describe("blog:kubeconfig", () => {
        let dir: string;
        beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeconfig-"))));
        afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
        const files = () => ({ ...localFiles, cwd: dir });
        const KUBECONFIG = [
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: local",
            "  cluster: {server: https://127.0.0.1:6443}",
            "contexts:",
            "- name: local",
            "  context: {cluster: local}",
            "",
        ].join("\n");

        it("rejects a path that does not exist, naming the resolved file and how to create it", () => {
            assert.throws(
                () => parseConfig(devWith({ "blog:kubeconfig": ".cluster/kubeconfig" }), files()),
                (error: unknown) => {
                    assert.ok(error instanceof ConfigError);
                    assert.deepStrictEqual(error.problems, [
                        `blog:kubeconfig must name an existing kubeconfig file (${path.join(dir, ".cluster/kubeconfig")} ` +
                            'does not exist or cannot be read) (got ".cluster/kubeconfig"). ' +
                            "Run: scripts/cluster up (it writes .cluster/kubeconfig), " +
                            "or pulumi config set kubeconfig <path to your kubeconfig>.",
                    ]);
                    return true;
                },
            );
        });

        it("rejects inline content that does not parse, without echoing it", () => {
            const problems = problemsOf(devWith({ "blog:kubeconfig": "apiVersion: v1\nclusters: [unclosed\ntoken: s3cr3t" }), files());
            assert.strictEqual(problems.length, 1, problems.join("\n"));
            assert.match(
                problems[0],
                /^blog:kubeconfig must be a kubeconfig that parses as YAML \(.+\) \(got "\[inline kubeconfig, \d+ characters\]"\)\. Run: /,
            );
            assert.doesNotMatch(problems[0], /s3cr3t/);
        });

        it("hands the provider the absolute path of a kubeconfig that exists, or inline content as given", () => {
            fs.mkdirSync(path.join(dir, ".cluster"));
            fs.writeFileSync(path.join(dir, ".cluster/kubeconfig"), KUBECONFIG);
            assert.strictEqual(
                parseConfig(devWith({ "blog:kubeconfig": ".cluster/kubeconfig" }), files()).cluster.kubeconfig,
                path.join(dir, ".cluster/kubeconfig"),
            );
            assert.strictEqual(
                parseConfig(devWith({ "blog:kubeconfig": KUBECONFIG, "blog:kubeContext": "local" }), files()).cluster.kubeconfig,
                KUBECONFIG,
            );
        });

        it("rejects a context the kubeconfig does not define", () => {
            const problems = problemsOf(devWith({ "blog:kubeconfig": KUBECONFIG, "blog:kubeContext": "prod" }), files());
            assert.deepStrictEqual(
                problems.map((p) => p.split(" (got")[0]),
                ["blog:kubeContext must name a context of the kubeconfig (local)"],
            );
        });
    });
});
