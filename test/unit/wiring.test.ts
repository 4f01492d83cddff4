import * as assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { IMAGES } from "../../components/monitoring/defaults";
import { migrationJobName } from "../../components/service/migration";
import { shutdownTiming } from "../../components/service/shutdown";
import { parseQuantity } from "../../components/shared/quantity";
import { MIGRATING_SERVICES, migrationWorkload } from "../../components/shared/topology";
import { parseConfig, type PlatformConfig } from "../../config";
import { LOCK_NAMES } from "../../config/image-lock";
import { buildStack } from "../../stack";
import { problemsOf } from "../helpers/config-problems";
import { ofType, type RecordedResource, recordResources } from "../helpers/mocks";
import { FIXTURE_IMAGE_LOCK, REPO_ROOT, stackConfig } from "../helpers/stack-config";

const lock: Record<string, string> = JSON.parse(fs.readFileSync(FIXTURE_IMAGE_LOCK, "utf8"));
const podSpecOf = (workload: RecordedResource) => workload.inputs.spec.template.spec;
const named = (resources: RecordedResource[], kind: string, name: string) => {
    const found = ofType(resources, kind).find((r) => r.inputs.metadata.name === name);
    assert.ok(found, `${kind} ${name}`);
    return found;
};
const envOf = (resources: RecordedResource[], service: string): Record<string, any> =>
    Object.fromEntries(
        podSpecOf(named(resources, "Deployment", service)).containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]),
    );

/** A lock file in a temp folder, relative to that folder as a stack's would be to the project. */
function lockIn(content: string): { raw: Record<string, string>; files: { read: (f: string) => string | undefined; cwd: string } } {
    const dir = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "image-lock-"));
    fs.writeFileSync(path.join(dir, "images.json"), content);
    const files = { read: (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, "utf8") : undefined), cwd: dir };
    return { raw: stackConfig("dev", { "blog:imageLock": "images.json", "blog:kubeconfig": undefined }), files };
}

describe("image lock (blog:imageLock)", () => {
    it("gives every workload of the dev stack its image from the lock, by digest", () => {
        const cfg = parseConfig(stackConfig("dev"));
        for (const [service, lockName] of Object.entries(LOCK_NAMES.services)) {
            assert.strictEqual(cfg.services[service as keyof typeof LOCK_NAMES.services].image, lock[lockName], service);
        }
        assert.strictEqual(cfg.postgres.image, lock.postgres);
        assert.strictEqual(cfg.redis.image, lock.redis);
        assert.strictEqual(cfg.gateway.exporterImage, lock["nginxlog-exporter"]);
        assert.deepStrictEqual(cfg.monitoring.images, {
            prometheus: lock.prometheus,
            alertmanager: lock.alertmanager,
            kubeStateMetrics: lock["kube-state-metrics"],
        });
    });

    it("runs without Grafana when the lock has no Grafana image, and with it when config names one", () => {
        assert.strictEqual(parseConfig(stackConfig("dev")).monitoring.grafana, false);
        const monitoring = { ...JSON.parse(stackConfig("dev")["blog:monitoring"]), images: { grafana: IMAGES.grafana } };
        const cfg = parseConfig(stackConfig("dev", { "blog:monitoring": monitoring }));
        assert.strictEqual(cfg.monitoring.grafana, true);
        assert.strictEqual(cfg.monitoring.images.grafana, IMAGES.grafana);
    });

    it("keeps an explicit image key ahead of the lock", () => {
        const cfg = parseConfig(
            stackConfig("dev", {
                "blog:services": { auth: { image: "registry.example.com/blog/auth:9.9.9" } },
                "blog:postgres": { image: "docker.io/library/postgres:16.6-bookworm", storageSize: "1Gi" },
            }),
        );
        assert.strictEqual(cfg.services.auth.image, "registry.example.com/blog/auth:9.9.9");
        assert.strictEqual(cfg.services.blog.image, lock.blog);
        assert.strictEqual(cfg.postgres.image, "docker.io/library/postgres:16.6-bookworm");
    });

    it("refuses a missing lock file with one message naming the key and how to write it", () => {
        const { raw, files } = lockIn("{}");
        const problems = problemsOf({ ...raw, "blog:imageLock": "missing.json" }, files);
        assert.strictEqual(problems.length, 1, problems.join("\n"));
        assert.match(
            problems[0],
            /^blog:imageLock must name the image lock file scripts\/images push writes \(.*missing\.json does not exist\)/,
        );
        assert.match(problems[0], / \(got "missing\.json"\)\. Run: scripts\/images build && scripts\/images push /);
    });

    it("names the image a lock lacks and the key that would set it instead", () => {
        const { postgres: _, ...withoutPostgres } = lock;
        const { raw, files } = lockIn(JSON.stringify(withoutPostgres));
        const problems = problemsOf(raw, files);
        assert.deepStrictEqual(problems.length, 1, problems.join("\n"));
        assert.match(problems[0], /^blog:imageLock must hold an image named postgres for postgres\.image \(it has alertmanager, auth, /);
        assert.match(problems[0], /scripts\/images build postgres && scripts\/images push, or pulumi config set --path 'postgres\.image'/);
    });

    it("refuses entries not pinned by digest and files that are not a JSON object", () => {
        const tagged = lockIn(JSON.stringify({ ...lock, auth: "127.0.0.1:5000/blog/auth:1.0.0" }));
        assert.match(problemsOf(tagged.raw, tagged.files).join("\n"), /pinned by digest .* auth: "127\.0\.0\.1:5000\/blog\/auth:1\.0\.0"/);
        const list = lockIn("[]");
        assert.match(problemsOf(list.raw, list.files).join("\n"), /^blog:imageLock must name a JSON object/);
        const broken = lockIn("{");
        assert.match(problemsOf(broken.raw, broken.files).join("\n"), /^blog:imageLock must name a JSON file/);
    });

    it("leaves prod on upstream images pinned by version tag and its own images from imageRegistry", () => {
        const cfg = parseConfig(stackConfig("prod"));
        assert.strictEqual(cfg.services.auth.image, "registry.example.com/blog/auth:1.4.2");
        assert.match(cfg.services.gateway.image, /^docker\.io\/nginxinc\/nginx-unprivileged:/);
        assert.strictEqual(cfg.monitoring.grafana, true);
        const prod = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "policy", "config", "prod.json"), "utf8"));
        // requireDigest stays off while prod names tags; it goes on with the digests.
        const images = [...Object.values(cfg.services).map((s) => s.image), cfg.postgres.image, cfg.redis.image];
        assert.strictEqual(
            prod["image-pinned"].requireDigest,
            images.every((image) => image.includes("@sha256:")),
        );
    });
});

describe("shutdownTiming", () => {
    it("finishes the preStop pause, the delay and the drain before the grace period ends", () => {
        for (const [grace, drain] of [
            [30, 5],
            [60, 10],
            [12, 2],
        ]) {
            const t = shutdownTiming(grace, drain);
            assert.ok(t.drainSeconds * 1000 + t.delayMs + t.timeoutMs < t.terminationGracePeriodSeconds * 1000, `${grace}/${drain}`);
        }
    });

    it("refuses a grace period that leaves no time to drain", () => {
        assert.throws(() => shutdownTiming(8, 5), /grace period of 8s after a 5s preStop pause leaves no time/);
    });
});

describe("migrationJobName", () => {
    it("changes with the image, so a new image runs a new Job, and stays a DNS label", () => {
        const a = migrationJobName("comment-migrate", lock.comment);
        assert.strictEqual(a, migrationJobName("comment-migrate", lock.comment));
        assert.notStrictEqual(a, migrationJobName("comment-migrate", "registry.example.com/blog/comment:1.4.3"));
        assert.match(a, /^comment-migrate-[a-f0-9]{10}$/);
    });
});

for (const stack of ["dev", "prod"] as const) {
    describe(`platform wiring of the services (${stack} stack, under mocks)`, () => {
        let cfg: PlatformConfig;
        let resources: RecordedResource[];
        const dependsOn = new Map<string, string[]>();
        before(async () => {
            cfg = parseConfig(stackConfig(stack));
            // Legacy transformations reach every child with its options: the way to see dependsOn under mocks.
            const record: pulumi.ResourceTransformation = (args) => {
                const deps = (args.opts.dependsOn ?? []) as pulumi.Resource[];
                dependsOn.set(
                    `${args.type}/${args.name}`,
                    (Array.isArray(deps) ? deps : [deps]).map((d) => (d as any).__name),
                );
                return undefined;
            };
            ({ resources } = await recordResources(() => buildStack(cfg, { transformations: [record] })));
        });

        it("hands blog, comment and image auth's URL and comment blog's, never auth's signing key", () => {
            for (const service of ["blog", "comment", "image"]) {
                assert.match(
                    envOf(resources, service).AUTH_SERVICE_URL,
                    /^http:\/\/auth\.blog-(dev|prod)\.svc\.cluster\.local:8080$/,
                    service,
                );
                assert.strictEqual(envOf(resources, service).JWT_SIGNING_KEY, undefined, service);
            }
            assert.match(envOf(resources, "comment").BLOG_SERVICE_URL, /^http:\/\/blog\./);
            assert.ok(envOf(resources, "auth").JWT_SIGNING_KEY.secretKeyRef);
        });

        it("trusts one proxy hop behind the gateway alone and two behind an Ingress", () => {
            const hops = cfg.gateway.exposure === "Ingress" ? "2" : "1";
            for (const service of MIGRATING_SERVICES) {
                assert.strictEqual(envOf(resources, service).TRUSTED_PROXY_HOPS, hops, service);
            }
        });

        it("gives each backend a shutdown budget that ends before SIGKILL", () => {
            for (const service of MIGRATING_SERVICES) {
                const pod = podSpecOf(named(resources, "Deployment", service));
                const env = envOf(resources, service);
                const used =
                    pod.containers[0].lifecycle.preStop.sleep.seconds * 1000 +
                    Number(env.SHUTDOWN_DELAY_MS) +
                    Number(env.SHUTDOWN_TIMEOUT_MS);
                assert.ok(Number(env.SHUTDOWN_TIMEOUT_MS) > 0 && used < pod.terminationGracePeriodSeconds * 1000, service);
            }
        });

        it("lets the image route carry exactly the uploads the image service accepts", () => {
            const nginx: string = named(resources, "ConfigMap", "gateway-config").inputs.data["nginx.conf"];
            const route = cfg.gateway.routes.find((r) => r.service === "image");
            assert.ok(route);
            const location = nginx.slice(nginx.indexOf(`location ${route.path} {`));
            const limit = /client_max_body_size (\d+[km]?);/.exec(location.slice(0, location.indexOf("}")))?.[1];
            assert.ok(limit, "the image route sets client_max_body_size");
            const bytes = (parseQuantity(limit.replace(/k$/, "Ki").replace(/m$/, "Mi")) ?? 0) as number;
            assert.strictEqual(String(bytes), envOf(resources, "image").MAX_UPLOAD_BYTES);
        });

        it("mounts an emptyDir at /tmp in every container of every workload", () => {
            for (const workload of [...ofType(resources, "Deployment"), ...ofType(resources, "StatefulSet"), ...ofType(resources, "Job")]) {
                const pod = podSpecOf(workload);
                for (const container of pod.containers) {
                    const mount = container.volumeMounts.find((m: any) => m.mountPath === "/tmp");
                    const volume = pod.volumes.find((v: any) => v.name === mount?.name);
                    assert.ok(volume?.emptyDir?.sizeLimit, `${workload.name}/${container.name}`);
                }
            }
        });

        it("migrates each service that owns tables in a Job from its own image, which its Deployment waits for", () => {
            const jobs = ofType(resources, "Job");
            assert.deepStrictEqual(jobs.map((j) => j.name).sort(), MIGRATING_SERVICES.map((s) => `${migrationWorkload(s)}-job`).sort());
            for (const service of MIGRATING_SERVICES) {
                const job = jobs.find((j) => j.name === `${migrationWorkload(service)}-job`);
                assert.ok(job);
                const [container] = podSpecOf(job).containers;
                const deployment = named(resources, "Deployment", service);
                assert.strictEqual(container.image, podSpecOf(deployment).containers[0].image, service);
                assert.strictEqual(job.inputs.metadata.name, migrationJobName(migrationWorkload(service), container.image));
                assert.deepStrictEqual(container.command, ["node", "dist/migrate.js"]);
                const env = container.env.map((e: any) => e.name).sort();
                assert.deepStrictEqual(env, ["DATABASE_HOST", "DATABASE_NAME", "DATABASE_PASSWORD", "DATABASE_PORT", "DATABASE_USER"]);
                assert.strictEqual(podSpecOf(job).restartPolicy, "Never");
                for (const field of ["backoffLimit", "activeDeadlineSeconds", "ttlSecondsAfterFinished"]) {
                    assert.ok(job.inputs.spec[field] > 0, `${service} ${field}`);
                }
                assert.ok(dependsOn.get(`kubernetes:apps/v1:Deployment/${service}-deployment`)?.includes(job.name), service);
                assert.ok(dependsOn.get(`kubernetes:batch/v1:Job/${job.name}`)?.includes(`${migrationWorkload(service)}-network-policy`));
            }
        });

        it("lets migration pods reach only the database (and DNS), and the database admit them", () => {
            const postgres = named(resources, "NetworkPolicy", "postgres").inputs.spec;
            const admitted = postgres.ingress.flatMap((rule: any) =>
                (rule.from ?? []).map((p: any) => p.podSelector?.matchLabels["app.kubernetes.io/name"]),
            );
            for (const service of MIGRATING_SERVICES) {
                assert.ok(admitted.includes(migrationWorkload(service)), service);
                const policy = named(resources, "NetworkPolicy", migrationWorkload(service)).inputs.spec;
                assert.deepStrictEqual(policy.ingress, []);
                const targets = policy.egress.map(
                    (rule: any) => `${rule.to[0].podSelector.matchLabels["app.kubernetes.io/name"] ?? "dns"}:${rule.ports[0].port}`,
                );
                assert.deepStrictEqual(targets.sort(), ["dns:53", "dns:53", "postgres:5432"]);
            }
        });
    });
}
