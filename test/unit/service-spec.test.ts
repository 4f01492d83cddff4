import * as assert from "node:assert";
import {
    DEFAULT_PROBES,
    deploymentSpec,
    hpaSpec,
    minimumReplicas,
    podTemplate,
    resolveServiceArgs,
    serviceSpec,
} from "../../components/service/spec";

const base = {
    namespace: "blog",
    image: "registry.example.com/blog/auth:1.0.0",
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } },
};

describe("StatelessService spec", () => {
    it("documents its defaults: these are the values the @default tags promise", () => {
        const resolved = resolveServiceArgs(base);
        assert.deepStrictEqual(
            { ...resolved, namespace: undefined, image: undefined, resources: undefined },
            {
                namespace: undefined,
                image: undefined,
                resources: undefined,
                replicas: 1,
                port: 8080,
                adminPort: 9464,
                metrics: { port: 9464, path: "/metrics" },
                probes: DEFAULT_PROBES,
                env: [],
                scratch: [{ path: "/tmp", size: "64Mi" }],
                configFiles: [],
                sidecars: [],
                runAsUser: 10001,
                spreadAcrossNodes: false,
                serviceType: "ClusterIP",
                verticalPodAutoscaling: false,
                terminationGracePeriodSeconds: 30,
                drainSeconds: 5,
                component: "api",
            },
        );
    });

    it("starts at the HPA's floor when autoscaling, so the provider waits for that many Ready pods", () => {
        const resolved = resolveServiceArgs({ ...base, replicas: 3, autoscaling: { minReplicas: 2, maxReplicas: 5 } });
        assert.strictEqual(deploymentSpec("auth", resolved, podTemplate("auth", resolved, undefined, undefined)).replicas, 2);
        assert.strictEqual(minimumReplicas(resolved), 2);
    });

    it("scales down after Kubernetes' five-minute window by default, or after the window it is given", () => {
        const window = (autoscaling: Parameters<typeof hpaSpec>[1]) => hpaSpec("blog", autoscaling).behavior;
        assert.deepStrictEqual(window({ minReplicas: 2, maxReplicas: 4 }), { scaleDown: { stabilizationWindowSeconds: 300 } });
        assert.deepStrictEqual(window({ minReplicas: 2, maxReplicas: 4, scaleDownStabilizationSeconds: 30 }), {
            scaleDown: { stabilizationWindowSeconds: 30 },
        });
    });

    it("never drops below the desired count during a rollout", () => {
        const resolved = resolveServiceArgs({ ...base, replicas: 2 });
        const spec = deploymentSpec("auth", resolved, podTemplate("auth", resolved, undefined, undefined));
        assert.deepStrictEqual(spec.strategy, { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
        assert.strictEqual(spec.replicas, 2);
    });

    it("keeps probes and metrics on the admin port, which the Service does not expose", () => {
        const resolved = resolveServiceArgs(base);
        const template = podTemplate("auth", resolved, undefined, undefined) as {
            metadata: { annotations: Record<string, string> };
            spec: {
                containers: {
                    ports: { name: string; containerPort: number }[];
                    readinessProbe: { httpGet: { port: string } };
                    livenessProbe: { httpGet: { port: string } };
                    startupProbe: { httpGet: { port: string } };
                }[];
            };
        };
        const [main] = template.spec.containers;
        const admin = main.ports.find((port) => port.name === "admin");
        assert.ok(admin, JSON.stringify(main.ports));
        for (const probe of [main.readinessProbe, main.livenessProbe, main.startupProbe]) {
            assert.strictEqual(probe.httpGet.port, "admin");
        }
        assert.strictEqual(template.metadata.annotations["prometheus.io/port"], String(admin.containerPort));
        const ports = (serviceSpec("auth", resolved).ports as { port: number; targetPort: string }[]).map((port) => [
            port.port,
            port.targetPort,
        ]);
        assert.deepStrictEqual(ports, [[8080, "http"]]);
    });

    it("refuses an admin port equal to the public port", () => {
        assert.throws(() => resolveServiceArgs({ ...base, port: 9000, adminPort: 9000 }), /adminPort 9000 must differ from port 9000/);
    });
});
