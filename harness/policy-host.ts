// Runs the pack's policies the way the Pulumi CLI's policy host does: type token, props behind
// @pulumi/policy's own unknown-checking proxy, urn and name, isType/asType, getConfig with the schema's
// defaults applied, enforcement levels from the pack config, and reportViolation calls collected.
import * as path from "node:path";
import type {
    PolicyConfigSchema,
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import type { K8sObject } from "../policy/fixtures";
import { typeToken } from "../policy/lib/kubernetes";
import { rules } from "../policy/policies";

export const POLICY_DIR = path.resolve(__dirname, "..", "policy");

// The copy of @pulumi/policy the pack itself loads (policy/node_modules when installed), so the proxy
// and its UnknownValueError are the ones the CLI would hand the rules.
const policyEntry = require.resolve("@pulumi/policy", { paths: [POLICY_DIR] });
const proxyModule = require(path.join(path.dirname(policyEntry), "proxy"));
const policyModule = require(path.join(path.dirname(policyEntry), "policy"));
const deserializeModule = require(path.join(path.dirname(policyEntry), "deserialize"));

/**
 * Props as the policy host builds them from the engine's message: JSON on the wire (no undefined), then
 * @pulumi/policy's own deserialisation (secrets unwrapped, or kept behind its secret-preserving proxy for
 * remediations), then its unknown-checking proxy.
 */
function fromEngine(props: K8sObject, forRemediation = false): K8sObject {
    const wire = JSON.parse(JSON.stringify(props));
    return proxyModule.unknownCheckingProxy(deserializeModule.deserializeProperties({ toJavaScript: () => wire }, forRemediation));
}

/** @pulumi/policy's sentinels for values not known during preview, by type. */
export const unknownValue = {
    string: proxyModule.unknownStringValue as string,
    number: proxyModule.unknownNumberValue as string,
    boolean: proxyModule.unknownBooleanValue as string,
    array: proxyModule.unknownArrayValue as string,
    object: proxyModule.unknownObjectValue as string,
};

/** A resource as the engine hands it to a policy. */
export interface Resource {
    type: string;
    name: string;
    /** A manifest, possibly malformed on purpose (see K8sObject). */
    props: K8sObject;
    /** The Kubernetes provider's configured namespace, if any. */
    providerNamespace?: string;
}

export interface Violation {
    policy: string;
    message: string;
    urn?: string;
}

/** Pack-level config as in a --policy-pack-config file: per policy an enforcement level or settings. */
export type PackConfig = Record<string, string | Record<string, unknown>>;

/** A Kubernetes object as the resource a program (or a rendered chart) registers for it. */
export function asResource(object: K8sObject, name = object.metadata?.name ?? object.kind.toLowerCase()): Resource {
    return { type: typeToken(object.apiVersion, object.kind), name, props: structuredClone(object) };
}

export const urnOf = (resource: Resource) => `urn:pulumi:test::blog::${resource.type}::${resource.name}`;

/** Whether a resource of `type` is an instance of a resource class, as @pulumi/policy's isType decides. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
    const pulumiType = policyModule.getPulumiType(resourceClass);
    if (pulumiType) {
        return type === pulumiType;
    }
    const isInstance = (resourceClass as { isInstance?: unknown }).isInstance;
    return typeof isInstance === "function" && isInstance.call(resourceClass, { __pulumiType: type }) === true;
}

/** What the CLI passes as getConfig(): the policy's settings with its schema's defaults filled in. */
export function policyConfig(schema: PolicyConfigSchema | undefined, settings: Record<string, unknown> = {}): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(schema?.properties ?? {})) {
        if (typeof property === "object" && property.default !== undefined) {
            out[key] = structuredClone(property.default);
        }
    }
    for (const [key, value] of Object.entries(settings)) {
        if (key !== "enforcementLevel") {
            out[key] = structuredClone(value);
        }
    }
    return out;
}

function providerOf(resource: Resource) {
    return resource.providerNamespace === undefined
        ? undefined
        : {
              type: "pulumi:providers:kubernetes",
              name: "cluster",
              urn: "urn:pulumi:test::blog::pulumi:providers:kubernetes::cluster",
              props: proxyModule.unknownCheckingProxy({ namespace: resource.providerNamespace }),
          };
}

/** The resource options a policy sees for a resource the harness made up: nothing protected, ignored or aliased. */
function defaultOptions() {
    return {
        protect: false,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
    };
}

function validationArgs(
    policy: ResourceValidationPolicy,
    resource: Resource,
    settings: Record<string, unknown>,
    proxied: K8sObject,
): ResourceValidationArgs {
    const args: ResourceValidationArgs = {
        type: resource.type,
        props: proxied,
        urn: urnOf(resource),
        name: resource.name,
        opts: defaultOptions(),
        stackTags: new Map(),
        isType: (resourceClass: unknown) => isTypeOf(resource.type, resourceClass),
        asType: ((resourceClass: unknown) =>
            isTypeOf(resource.type, resourceClass) ? proxied : undefined) as ResourceValidationArgs["asType"],
        getConfig: <T extends object>() => policyConfig(policy.configSchema, settings) as T,
        notApplicable: (reason?: string) => {
            throw new Error(`not applicable: ${reason}`);
        },
    };
    const provider = providerOf(resource);
    if (provider) {
        args.provider = provider;
    }
    return args;
}

/** Runs one resource policy's validations on one resource, as the CLI's Analyze call does. */
export async function validateResource(
    policy: ResourceValidationPolicy,
    resource: Resource,
    settings: Record<string, unknown> = {},
): Promise<Violation[]> {
    const violations: Violation[] = [];
    const validations = Array.isArray(policy.validateResource)
        ? policy.validateResource
        : policy.validateResource
          ? [policy.validateResource]
          : [];
    for (const validation of validations) {
        const props = fromEngine(resource.props);
        await validation(validationArgs(policy, resource, settings, props), (message: string) => {
            violations.push({ policy: policy.name, message, urn: urnOf(resource) });
        });
    }
    return violations;
}

/** Runs a resource policy's remediation as the CLI's Remediate call does; returns the new props, or undefined. */
export async function remediateResource(
    policy: ResourceValidationPolicy,
    resource: Resource,
    settings: Record<string, unknown> = {},
): Promise<K8sObject | undefined> {
    if (!policy.remediateResource) {
        return undefined;
    }
    const props = fromEngine(resource.props, true);
    const result = await policy.remediateResource(validationArgs(policy, resource, settings, props));
    // What the engine receives: @pulumi/policy's serialisation of the result (proxies removed, secrets kept).
    return result === undefined ? undefined : deserializeModule.serializeProperties(result);
}

/** Runs a stack policy over the resources, as the CLI's AnalyzeStack call does. */
export async function validateStack(
    policy: StackValidationPolicy,
    resources: readonly Resource[],
    settings: Record<string, unknown> = {},
): Promise<Violation[]> {
    const violations: Violation[] = [];
    const policyResources: PolicyResource[] = resources.map((resource) => {
        const props = fromEngine(resource.props);
        const out: PolicyResource = {
            type: resource.type,
            props,
            urn: urnOf(resource),
            name: resource.name,
            opts: defaultOptions(),
            dependencies: [],
            propertyDependencies: {},
            isType: (resourceClass: unknown) => isTypeOf(resource.type, resourceClass),
            asType: ((resourceClass: unknown) => (isTypeOf(resource.type, resourceClass) ? props : undefined)) as PolicyResource["asType"],
        };
        const provider = providerOf(resource);
        if (provider) {
            out.provider = provider;
        }
        return out;
    });
    await policy.validateStack(
        {
            resources: policyResources,
            getConfig: <T extends object>() => policyConfig(policy.configSchema, settings) as T,
            stackTags: new Map(),
            notApplicable: (reason?: string) => {
                throw new Error(`not applicable: ${reason}`);
            },
        },
        (message: string, urn?: string) => violations.push({ policy: policy.name, message, urn }),
    );
    return violations;
}

const isStackPolicy = (policy: ResourceValidationPolicy | StackValidationPolicy): policy is StackValidationPolicy =>
    "validateStack" in policy;

/** Runs one policy (resource or stack) over a set of resources. */
export async function runPolicy(
    policy: ResourceValidationPolicy | StackValidationPolicy,
    resources: readonly Resource[],
    settings: Record<string, unknown> = {},
): Promise<Violation[]> {
    if (isStackPolicy(policy)) {
        return validateStack(policy, resources, settings);
    }
    const all: Violation[] = [];
    for (const resource of resources) {
        all.push(...(await validateResource(policy, resource, settings)));
    }
    return all;
}

/** The whole pack over a stack, with a pack config (enforcement levels and settings) as the CLI applies it. */
export async function runPack(resources: readonly Resource[], config: PackConfig = {}): Promise<Violation[]> {
    const all: Violation[] = [];
    for (const rule of rules) {
        const entry = config[rule.metadata.name] ?? {};
        const settings = typeof entry === "string" ? { enforcementLevel: entry } : entry;
        const level =
            (settings.enforcementLevel as string | undefined) ??
            (typeof config.all === "string" ? config.all : undefined) ??
            rule.policy.enforcementLevel;
        if (level === "disabled") {
            continue;
        }
        all.push(...(await runPolicy(rule.policy, resources, settings)));
    }
    return all;
}
