import * as assert from "node:assert";
import * as k8s from "@pulumi/kubernetes";
import * as yaml from "js-yaml";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { compliantPodSpec, type K8sObject, wrapPod } from "../../policy/fixtures";
import { asResource, runPack, unknownValue, validateResource } from "../../harness/policy-host";

describe("the policy harness", () => {
    it("gives policies the CLI's isType/asType, getConfig with schema defaults, and the unknown-checking proxy", async () => {
        const seen: unknown[] = [];
        const probe: ResourceValidationPolicy = {
            name: "probe",
            description: "Records what a policy sees.",
            configSchema: { properties: { threshold: { type: "integer", default: 3 } } },
            validateResource: (args, report) => {
                const deployment = args.asType(k8s.apps.v1.Deployment);
                seen.push(args.isType(k8s.apps.v1.Deployment), args.isType(k8s.core.v1.Pod), deployment?.metadata?.name, args.getConfig());
                try {
                    seen.push(args.props.metadata.namespace);
                } catch (error) {
                    seen.push((error as Error).message);
                }
                report("seen");
            },
        };
        const object = wrapPod("Deployment", { spec: compliantPodSpec() });
        object.metadata.namespace = unknownValue.string;
        const violations = await validateResource(probe, asResource(object));
        assert.deepStrictEqual(seen, [
            true,
            false,
            "fixture",
            { threshold: 3 },
            "string value at .metadata.namespace can't be known during preview",
        ]);
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            ["urn:pulumi:test::blog::kubernetes:apps/v1:Deployment::fixture"],
        );
    });
});

describe("the policy pack on objects declared in YAML (ConfigGroup, Helm)", () => {
    it("checks a rendered manifest exactly like a typed resource, since both carry the same type token", async () => {
        const manifest = yaml.load(`
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent, namespace: apps }
spec:
  selector: { matchLabels: { app: agent } }
  template:
    metadata: { labels: { app: agent } }
    spec:
      hostPID: true
      containers:
        - name: agent
          image: registry.example.com/agent:2.0.1
`) as K8sObject;
        const policies = new Set((await runPack([asResource(manifest)])).map((v) => v.policy));
        for (const expected of [
            "pss-host-namespaces",
            "pss-run-as-non-root",
            "pss-seccomp-restricted",
            "container-resources",
            "network-policy-coverage",
        ]) {
            assert.ok(policies.has(expected), expected);
        }
    });
});
