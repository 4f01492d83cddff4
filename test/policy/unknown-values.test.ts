import * as assert from "node:assert";
import { compliantPodSpec, compliantStack, find, type K8sObject, wrapPod } from "../../policy/fixtures";
import { POD_CARRYING_KINDS } from "../../policy/lib/pod-spec";
import { asResource, type Resource, runPack, unknownValue } from "../../harness/policy-host";
import { platformResources } from "../../harness/platform";
import { withoutPending } from "./platform-resources";

type Path = (string | number)[];

/** Every path to a value (leaf or container) in an object, for replacing each in turn. */
function paths(value: unknown, prefix: Path = []): Path[] {
    if (value === null || typeof value !== "object") {
        return [prefix];
    }
    const children = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
    return [
        ...(prefix.length > 0 ? [prefix] : []),
        ...children.flatMap((key) => paths((value as Record<string | number, unknown>)[key], [...prefix, key])),
    ];
}

/** The sentinel the engine sends for a value of this shape when it is not known yet. */
function sentinelFor(value: unknown): string {
    return Array.isArray(value)
        ? unknownValue.array
        : typeof value === "object" && value !== null
          ? unknownValue.object
          : typeof value === "number"
            ? unknownValue.number
            : typeof value === "boolean"
              ? unknownValue.boolean
              : unknownValue.string;
}

/** The object's resource with the value at `path` unknown (the type token stays known, as it always is). */
function withUnknown(object: K8sObject, path: Path): Resource {
    const resource = asResource(object, object.metadata?.name ?? object.kind);
    let target = resource.props as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) {
        target = target[key] as Record<string | number, unknown>;
    }
    const last = path[path.length - 1];
    target[last] = sentinelFor(target[last]);
    return resource;
}

function replaceAll(value: unknown, key: string, sentinel: string): unknown {
    if (Array.isArray(value)) {
        return value.map((v) => replaceAll(v, key, sentinel));
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === key ? sentinel : replaceAll(v, key, sentinel)]));
    }
    return value;
}

describe("the policy pack with values not known during preview", () => {
    const stack = [
        ...compliantStack(),
        wrapPod("CronJob", { spec: compliantPodSpec() }, "nightly"),
        { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "fixture", namespace: "apps" }, automountServiceAccountToken: false },
    ];

    // Isolates the lone workloads below, so only what the test is about can be reported.
    const defaultDeny = asResource(find(stack, "NetworkPolicy"));

    it("passes the compliant stack it starts from", async () => {
        assert.deepStrictEqual(await runPack(stack.map((o) => asResource(o))), []);
    });

    it("reports nothing and never throws when any single value or object of a compliant stack is unknown", async function () {
        this.timeout(120_000);
        const failures: string[] = [];
        for (const [index, object] of stack.entries()) {
            for (const path of paths(object)) {
                const resources = stack.map((o, i) => (i === index ? withUnknown(o, path) : asResource(o, o.metadata?.name ?? o.kind)));
                const violations = await runPack(resources);
                if (violations.length > 0) {
                    failures.push(`${object.kind}.${path.join(".")}: ${violations.map((v) => `${v.policy}: ${v.message}`).join(" | ")}`);
                }
            }
        }
        assert.deepStrictEqual(failures, []);
    });

    it("reports nothing for a workload of any kind whose whole pod spec is unknown", async () => {
        for (const kind of POD_CARRYING_KINDS) {
            const object = wrapPod(kind, { spec: compliantPodSpec() });
            const resource: Resource = asResource(object);
            const template =
                kind === "Pod"
                    ? resource.props
                    : kind === "CronJob"
                      ? resource.props.spec.jobTemplate.spec.template
                      : resource.props.spec.template;
            template.spec = unknownValue.object;
            assert.deepStrictEqual(await runPack([resource, defaultDeny]), [], kind);
        }
    });

    it("reports nothing on the platform's first preview, when every namespace is an output not known yet", async () => {
        for (const stackName of ["dev", "prod"] as const) {
            const resources = (await platformResources(stackName)).map((r) => ({
                ...r,
                props: replaceAll(r.props, "namespace", unknownValue.string) as K8sObject,
            }));
            assert.deepStrictEqual(
                withoutPending(await runPack(resources)).map((v) => v.message),
                [],
                stackName,
            );
        }
    });

    it("still reports what is certain while other values are unknown", async () => {
        const object = wrapPod("Deployment", { spec: { ...compliantPodSpec(), hostNetwork: true } });
        object.metadata.namespace = unknownValue.string;
        object.spec.template.spec.containers[0].image = unknownValue.string;
        const violations = await runPack([asResource(object), defaultDeny]);
        assert.deepStrictEqual(
            violations.map((v) => v.policy),
            ["pss-host-namespaces"],
        );
    });
});
