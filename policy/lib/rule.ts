// Turns a rule (typed metadata plus a check over plain, preview-safe data) into the CrossGuard policy the
// pack registers. Config, exemptions, the PSS profile and unknown values are handled here, once.
import type {
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import {
    type ConfigProperty,
    EXEMPTIONS_PROPERTY,
    type Exemption,
    type ExemptionTarget,
    findExemption,
    PROFILE_PROPERTY,
    readConfig,
    VERSION_PROPERTY,
} from "./config";
import { type ApiType, apiType, describeObject, effectiveNamespace, objectName } from "./kubernetes";
import { carriesPod, podView, type PodView } from "./pod-spec";
import { type CheckId, checkInForce, LATEST_MINOR, minorOf, type Profile } from "./pss-checks";
import { isUnknownValueError, readRaw, resolve, type Unknown } from "./values";

export type Family = "pod-security" | "workload" | "network" | "availability" | "namespace";
export type Scope = "pod-spec" | "resource" | "stack";

/** What a rule is, in the words a reviewer reads; the policy, the docs and the tests all read this. */
export interface RuleMetadata {
    /** Policy name, kebab-case; Pod Security Standard controls start with `pss-`. */
    name: string;
    /** Short title shown as the policy's display name. */
    title: string;
    family: Family;
    /** One or more sentences: what the rule requires and why. */
    description: string;
    severity: Severity;
    /** How to fix a violation, in sentences. */
    remediation: string;
    /** @default "mandatory" */
    enforcementLevel?: EnforcementLevel;
    /** The Pod Security Standard profile the control belongs to (pss- rules only). */
    pss?: Profile;
    /**
     * The pod-security-admission check this rule implements (pss- rules only), so a finding can be
     * looked up upstream; the check's level, versions and overrides decide when the rule runs.
     */
    pssCheck?: CheckId;
    /** Settings beyond `exemptions` (and `profile`, `version` for pss- rules). */
    config?: Record<string, ConfigProperty>;
    url?: string;
}

/** Settings every rule has. */
export interface BaseConfig {
    exemptions: Exemption[];
    profile: Profile;
    /** The Pod Security Standards version enforced: "latest" or "v1.N" (pss- rules only). */
    version: string;
}

/** A property change a remediation makes: the value to set at a path from the resource's root. */
export interface Patch {
    path: readonly (string | number)[];
    value: unknown;
}

/** A rule as the pack and its tests see it. */
export interface Rule {
    metadata: RuleMetadata;
    scope: Scope;
    /** Implements remediateResource (used when the rule's enforcement level is `remediate`). */
    remediates: boolean;
    policy: ResourceValidationPolicy | StackValidationPolicy;
}

/** What a pod-spec check sees: one pod, from whatever kind carried it. */
export interface PodCheck<C> {
    kind: string;
    pod: PodView;
    /** The whole object, resolved. */
    object: unknown;
    config: C & BaseConfig;
    report(message: string): void;
}

/** What a resource check sees. */
export interface ResourceCheck<C> {
    api: ApiType;
    props: unknown;
    pulumiName: string;
    /** metadata.namespace, else the provider's namespace; undefined means the cluster's default. */
    namespace: string | undefined | Unknown;
    config: C & BaseConfig;
    report(message: string): void;
}

/** A Kubernetes object of the stack, resolved once for a stack check. */
export interface StackObject {
    urn: string;
    pulumiName: string;
    api: ApiType;
    props: unknown;
    name: string | undefined;
    namespace: string | undefined | Unknown;
    /** `Deployment blog/auth`. */
    display: string;
}

export interface StackCheck<C> {
    objects: StackObject[];
    config: C & BaseConfig;
    /** Reports a violation against one object, unless the config exempts it. */
    report(object: StackObject, message: string): void;
}

export function configSchemaFor(metadata: RuleMetadata): PolicyConfigSchema {
    return {
        properties: {
            exemptions: EXEMPTIONS_PROPERTY,
            ...(metadata.pss ? { profile: PROFILE_PROPERTY, version: VERSION_PROPERTY } : {}),
            ...metadata.config,
        },
    };
}

function basePolicy(metadata: RuleMetadata) {
    return {
        name: metadata.name,
        description: metadata.description,
        displayName: metadata.title,
        severity: metadata.severity,
        remediationSteps: metadata.remediation,
        enforcementLevel: metadata.enforcementLevel ?? "mandatory",
        configSchema: configSchemaFor(metadata),
        tags: [metadata.family, ...(metadata.pss ? [`pss-${metadata.pss}`] : [])],
        ...(metadata.url ? { url: metadata.url } : {}),
        ...(metadata.pss
            ? {
                  framework: {
                      name: "Kubernetes Pod Security Standards",
                      version: `v1.${LATEST_MINOR}`,
                      reference: "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
                      specification: `${metadata.pss} profile: ${metadata.title}`,
                  },
              }
            : {}),
    };
}

function configOf<C>(metadata: RuleMetadata, raw: Record<string, unknown>): C & BaseConfig {
    return readConfig<C & BaseConfig>(metadata.name, configSchemaFor(metadata), raw);
}

/**
 * Whether the profile and version switch the control off, as pod-security-admission does: restricted-only
 * under baseline, not yet existing at the version, or a baseline check a restricted one overrides.
 */
function outOfProfile(metadata: RuleMetadata, config: BaseConfig): boolean {
    return metadata.pssCheck !== undefined && !checkInForce(metadata.pssCheck, config.profile, minorOf(config.version));
}

interface Applicable<C> {
    api: ApiType;
    props: unknown;
    config: C & BaseConfig;
    namespace: string | undefined | Unknown;
    display: string;
}

/** Resolves a resource for a rule, or undefined when the rule does not apply to it (kind, profile, exemption). */
function applicable<C>(
    metadata: RuleMetadata,
    args: ResourceValidationArgs,
    accepts: (api: ApiType) => boolean,
): Applicable<C> | undefined {
    const api = apiType(args.type);
    if (!api || !accepts(api)) {
        return undefined;
    }
    const config = configOf<C>(metadata, args.getConfig<Record<string, unknown>>());
    if (outOfProfile(metadata, config)) {
        return undefined;
    }
    const props = resolve(args.props);
    const namespace = effectiveNamespace(props, readRaw(args.provider?.props, "namespace"));
    const exempt = findExemption(config.exemptions, { kind: api.kind, pulumiName: args.name, name: objectName(props), namespace });
    if (exempt) {
        return undefined;
    }
    return { api, props, config, namespace, display: describeObject(api.kind, props, args.name) };
}

/** Sets each patch's value through the (proxied) properties, creating missing objects on the way. */
export function applyPatches(props: Record<string, unknown>, patches: readonly Patch[]): void {
    for (const patch of patches) {
        try {
            let target = props as Record<string | number, unknown>;
            for (const key of patch.path.slice(0, -1)) {
                if (target[key] === undefined || target[key] === null) {
                    target[key] = {};
                }
                target = target[key] as Record<string | number, unknown>;
            }
            target[patch.path[patch.path.length - 1]] = patch.value;
        } catch (error) {
            // A value on the way is not known during preview: leave it for the update, which knows it.
            if (!isUnknownValueError(error)) {
                throw error;
            }
        }
    }
}

/**
 * The CrossGuard policy of a single-resource rule: `context` resolves what the check sees (undefined when the
 * rule does not apply); validation reports through it, remediation applies the patches the rule returns.
 */
function resourcePolicy<T>(
    metadata: RuleMetadata,
    context: (args: ResourceValidationArgs, report: (message: string) => void) => T | undefined,
    check: (target: T) => void,
    remediate: ((target: T) => Patch[]) | undefined,
): ResourceValidationPolicy {
    const policy: ResourceValidationPolicy = {
        ...basePolicy(metadata),
        validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
            const target = context(args, reportViolation);
            if (target) {
                check(target);
            }
        },
    };
    if (remediate) {
        policy.remediateResource = (args: ResourceValidationArgs) => {
            const target = context(args, () => undefined);
            const patches = target ? remediate(target) : [];
            if (patches.length === 0) {
                return undefined;
            }
            applyPatches(args.props, patches);
            return args.props;
        };
    }
    return policy;
}

/** A rule over the pod of every pod-carrying kind (Pod, Deployment, ..., CronJob). */
export function podSpecRule<C = object>(
    metadata: RuleMetadata,
    rule: {
        check(pod: PodCheck<C>): void;
        remediate?(pod: PodCheck<C>): Patch[];
    },
): Rule {
    const context = (args: ResourceValidationArgs, report: (message: string) => void): PodCheck<C> | undefined => {
        const found = applicable<C>(metadata, args, (api) => carriesPod(api.kind));
        const pod = found && podView(found.api.kind, found.props);
        if (!found || !pod) {
            return undefined;
        }
        return { kind: found.api.kind, pod, object: found.props, config: found.config, report: (m) => report(`${found.display}: ${m}`) };
    };
    const policy = resourcePolicy(metadata, context, rule.check, rule.remediate);
    return { metadata, scope: "pod-spec", remediates: rule.remediate !== undefined, policy };
}

/** A rule over single resources of the kinds `accepts` picks. */
export function resourceRule<C = object>(
    metadata: RuleMetadata,
    rule: {
        accepts(api: ApiType): boolean;
        check(resource: ResourceCheck<C>): void;
        remediate?(resource: ResourceCheck<C>): Patch[];
    },
): Rule {
    const context = (args: ResourceValidationArgs, report: (message: string) => void): ResourceCheck<C> | undefined => {
        const found = applicable<C>(metadata, args, rule.accepts);
        return (
            found && {
                api: found.api,
                props: found.props,
                pulumiName: args.name,
                namespace: found.namespace,
                config: found.config,
                report: (m) => report(`${found.display}: ${m}`),
            }
        );
    };
    const policy = resourcePolicy(metadata, context, rule.check, rule.remediate);
    return { metadata, scope: "resource", remediates: rule.remediate !== undefined, policy };
}

/** Resolves the stack's Kubernetes objects once for a stack check. */
export function stackObjects(resources: readonly PolicyResource[]): StackObject[] {
    const objects: StackObject[] = [];
    for (const resource of resources) {
        const api = apiType(resource.type);
        if (!api) {
            continue;
        }
        const props = resolve(resource.props);
        objects.push({
            urn: resource.urn,
            pulumiName: resource.name,
            api,
            props,
            name: objectName(props),
            namespace: effectiveNamespace(props, readRaw(resource.provider?.props, "namespace")),
            display: describeObject(api.kind, props, resource.name),
        });
    }
    return objects;
}

/** A rule over the whole stack (relations between objects); it must run in time linear in the objects. */
export function stackRule<C = object>(metadata: RuleMetadata, rule: { check(stack: StackCheck<C>): void }): Rule {
    const policy: StackValidationPolicy = {
        ...basePolicy(metadata),
        validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
            const config = configOf<C>(metadata, args.getConfig<Record<string, unknown>>());
            if (outOfProfile(metadata, config)) {
                return;
            }
            rule.check({
                objects: stackObjects(args.resources),
                config,
                report: (object, message) => {
                    const target: ExemptionTarget = {
                        kind: object.api.kind,
                        pulumiName: object.pulumiName,
                        name: object.name,
                        namespace: object.namespace,
                    };
                    if (!findExemption(config.exemptions, target)) {
                        reportViolation(`${object.display}: ${message}`, object.urn);
                    }
                },
            });
        },
    };
    return { metadata, scope: "stack", remediates: false, policy };
}
