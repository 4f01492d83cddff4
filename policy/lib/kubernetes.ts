// Kubernetes facts the rules share: reading type tokens, which kinds are namespaced, how objects are named.
import { at, text, type Unknown, UNKNOWN } from "./values";

/** The API group, version and kind behind a Pulumi type token such as `kubernetes:apps/v1:Deployment`. */
export interface ApiType {
    group: string;
    version: string;
    kind: string;
}

// Tokens under these modules are Pulumi-side components or Helm releases, not Kubernetes API objects.
const NON_API_MODULES = new Set(["yaml", "helm.sh", "kustomize"]);

/** The API type of a Kubernetes resource token; undefined for anything else (providers, components). */
export function apiType(token: string): ApiType | undefined {
    const match = /^kubernetes:([^:/]+)\/([^:/]+):([A-Za-z0-9]+)$/.exec(token);
    if (!match || NON_API_MODULES.has(match[1])) {
        return undefined;
    }
    return { group: match[1], version: match[2], kind: match[3] };
}

/** The type token the Kubernetes provider gives an object with this apiVersion and kind. */
export function typeToken(apiVersion: string, kind: string): string {
    const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["core", apiVersion];
    return `kubernetes:${group}/${version}:${kind}`;
}

/** Built-in kinds that live outside any namespace; everything else (custom resources included) is namespaced. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
    "APIService",
    "CertificateSigningRequest",
    "ClusterRole",
    "ClusterRoleBinding",
    "ClusterTrustBundle",
    "ComponentStatus",
    "CSIDriver",
    "CSINode",
    "CustomResourceDefinition",
    "DeviceClass",
    "FlowSchema",
    "IngressClass",
    "IPAddress",
    "MutatingAdmissionPolicy",
    "MutatingAdmissionPolicyBinding",
    "MutatingWebhookConfiguration",
    "Namespace",
    "Node",
    "PersistentVolume",
    "PodSecurityPolicy",
    "PriorityClass",
    "PriorityLevelConfiguration",
    "ResourceSlice",
    "RuntimeClass",
    "SelfSubjectAccessReview",
    "SelfSubjectReview",
    "SelfSubjectRulesReview",
    "ServiceCIDR",
    "StorageClass",
    "StorageVersion",
    "StorageVersionMigration",
    "SubjectAccessReview",
    "TokenReview",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "ValidatingWebhookConfiguration",
    "VolumeAttachment",
    "VolumeAttributesClass",
]);

/** How a message names an object: `Deployment blog/auth`, falling back to the Pulumi name when unnamed. */
export function describeObject(kind: string, props: unknown, pulumiName: string): string {
    const name = objectName(props) ?? pulumiName;
    const namespace = text(at(props, "metadata", "namespace"));
    return typeof namespace === "string" && namespace !== "" ? `${kind} ${namespace}/${name}` : `${kind} ${name}`;
}

/** metadata.name when known; undefined when absent (Pulumi auto-names it) or not known yet. */
export function objectName(props: unknown): string | undefined {
    const name = text(at(props, "metadata", "name"));
    return typeof name === "string" && name !== "" ? name : undefined;
}

/**
 * The namespace an object lands in: its own metadata.namespace, else the namespace its provider was
 * configured with; undefined when neither says (the cluster's `default`), UNKNOWN when not known yet.
 */
export function effectiveNamespace(props: unknown, providerNamespace: unknown): string | undefined | Unknown {
    const own = text(at(props, "metadata", "namespace"));
    if (own === UNKNOWN || (typeof own === "string" && own !== "")) {
        return own;
    }
    const fromProvider = text(providerNamespace);
    return fromProvider === UNKNOWN || (typeof fromProvider === "string" && fromProvider !== "") ? fromProvider : undefined;
}
