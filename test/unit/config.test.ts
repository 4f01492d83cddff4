import * as assert from "assert";
import { CONFIG_KEYS, DEFAULTS, parseConfig } from "../../config";
import { SERVICE_NAMES } from "../../components/shared/topology";
import { itRejectsEach, problemsOf } from "../helpers/config-problems";
import { projectConfigDeclarations, stackConfig } from "../helpers/stack-config";

function devWith(overrides: Record<string, unknown>): Record<string, string> {
    return stackConfig("dev", overrides);
}

describe("config", () => {
    it("declares in Pulumi.yaml exactly the keys the program reads, each with a description", () => {
        const declared = projectConfigDeclarations();
        assert.deepStrictEqual(Object.keys(declared).sort(), Object.keys(CONFIG_KEYS).map((k) => `blog:${k}`).sort());
        for (const [key, declaration] of Object.entries(declared)) {
            assert.ok(declaration.type, `${key} has a type`);
            assert.ok((declaration.description ?? "").length > 20, `${key} has a description`);
        }
    });

    it("requires only environment and imageTag: the CLI refuses a stack missing any key without a default", () => {
        const required = Object.entries(projectConfigDeclarations()).filter(([, d]) => d.default === undefined).map(([key]) => key);
        assert.deepStrictEqual(required.sort(), ["blog:environment", "blog:imageTag"]);
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
        assert.strictEqual(cfg.services.auth.image, "registry.example.com/blog/auth:1.4.2");
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
            limits: { cpu: "400m", memory: "1Gi" },
        });
    });

    const badValues: [string, Record<string, unknown>, RegExp][] = [
        ["a negative replica count", { "blog:services": { auth: { replicas: -1 } } },
            /^blog:services\.auth\.replicas must be an integer ≥ 1 \(got -1\)\. Run: pulumi config set --path 'services\.auth\.replicas' 1\.$/],
        ["a fractional replica count", { "blog:services": { auth: { replicas: 1.5 } } }, /services\.auth\.replicas must be an integer ≥ 1 \(got 1\.5\)/],
        ["minReplicas above maxReplicas", { "blog:services": { blog: { minReplicas: 5, maxReplicas: 2 } } },
            /^blog:services\.blog\.maxReplicas must be at least minReplicas \(5\) \(got 2\)\./],
        ["a limit below its request", { "blog:services": { comment: { resources: { requests: { cpu: "500m" }, limits: { cpu: "200m" } } } } },
            /^blog:services\.comment\.resources\.limits\.cpu must be at least the request \(500m\) \(got "200m"\)\./],
        ["a malformed quantity", { "blog:services": { auth: { resources: { requests: { memory: "128MB" } } } } },
            /^blog:services\.auth\.resources\.requests\.memory must be a memory quantity like 256Mi or 1Gi .*\(got "128MB"\)\./],
        ["an untagged image", { "blog:services": { image: { image: "registry.example.com/blog/image" } } },
            /^blog:services\.image\.image must be an image reference pinned to a version tag or digest \(not 'latest'\) \(got "registry\.example\.com\/blog\/image"\)\./],
        ["a latest image", { "blog:postgres": { image: "postgres:latest" } }, /^blog:postgres\.image must be an image reference pinned .*\(got "postgres:latest"\)\./],
        ["a route to an unknown service", { "blog:gateway": { routes: [{ path: "/api/search/", service: "search" }] } },
            /^blog:gateway\.routes\[0\]\.service must name a service the gateway can route to \(frontend, auth, blog, comment, image\) \(got "search"\)\./],
        ["a route path without slashes", { "blog:gateway": { routes: [{ path: "api", service: "blog" }] } }, /gateway\.routes\[0\]\.path must be a URL prefix/],
        ["a missing environment", { "blog:environment": undefined }, /^blog:environment must be set to one of dev, prod \(got nothing\)\. Run: pulumi config set --path 'environment' dev\.$/],
        ["an unknown environment", { "blog:environment": "staging" }, /^blog:environment must be one of dev, prod \(got "staging"\)\./],
        ["a missing image tag", { "blog:imageTag": undefined }, /^blog:services\.frontend\.image must be an image reference .*or set imageTag \(got nothing\)\./],
        ["an unknown service name", { "blog:services": { serach: { replicas: 2 } } }, /^blog:services\.serach must name a platform service/],
        ["an unknown exposure", { "blog:gateway": { exposure: "NodePort" } }, /^blog:gateway\.exposure must be one of ClusterIP, LoadBalancer, Ingress \(got "NodePort"\)\./],
        ["Ingress without a domain", { "blog:gateway": { exposure: "Ingress" } }, /^blog:gateway\.domain must be set when gateway\.exposure is Ingress/],
        ["a non-boolean switch", { "blog:autoscaling": "yes" }, /^blog:autoscaling must be true or false \(got "yes"\)\./],
        ["an invalid namespace", { "blog:namespace": "Blog_Dev" }, /^blog:namespace must be a DNS-1123 label .*\(got "Blog_Dev"\)\./],
        ["an undeclared key", { "blog:replicas": "3" }, /^blog:replicas must be one of the keys declared in Pulumi\.yaml/],
        ["a scalar where an object belongs", { "blog:postgres": "big" }, /^blog:postgres must be an object \(structured config\) \(got "big"\)\./],
    ];
    itRejectsEach(badValues, devWith);

    it("requires at least two replicas, autoscaling and data protection in prod", () => {
        const problems = problemsOf(stackConfig("prod", {
            "blog:services": { auth: { replicas: 1, minReplicas: 1 } },
            "blog:autoscaling": false,
            "blog:dataProtection": false,
        }));
        assert.ok(problems.some((p) => p.startsWith("blog:services.auth.replicas must be an integer ≥ 2 in prod (got 1).")), problems.join("\n"));
        assert.ok(problems.some((p) => p.startsWith("blog:autoscaling must be true in prod")), problems.join("\n"));
        assert.ok(problems.some((p) => p.startsWith("blog:dataProtection must be true in prod")), problems.join("\n"));
    });

    it("reports every problem at once rather than stopping at the first", () => {
        const problems = problemsOf(devWith({ "blog:autoscaling": "maybe", "blog:namespace": "UPPER", "blog:services": { auth: { replicas: 0 } } }));
        assert.strictEqual(problems.length, 3, problems.join("\n"));
    });

    it("raises a RunError so the CLI prints the message without a stack trace", () => {
        try {
            parseConfig(devWith({ "blog:autoscaling": "maybe" }));
            assert.fail("expected a ConfigError");
        } catch (error) {
            // The Node language host checks this brand to print only the message.
            assert.strictEqual((error as { __pulumiRunError?: boolean }).__pulumiRunError, true);
        }
    });
});
