// Builds ValidatingAdmissionPolicies and their bindings from the catalogue's CEL checks and a pack
// config, so the API server enforces the single-object rules at the same levels as the pack:
// mandatory (and remediate, which the API server cannot apply) → Deny, advisory → Warn and Audit,
// disabled → no binding. Exemptions become match conditions on the object's name (and kind). Policy and
// binding names are cluster-wide, so each owner (a stack: its namespace) names its own: `<prefix>.<rule>`.
import type { K8sObject } from "../fixtures/fixture";
import type { Exemption } from "../lib/config";
import { rules } from "../policies";
import { CEL_CHECKS, type CelCheck, POD_KINDS, POD_VARIABLES } from "./cel-checks";

export type Level = "advisory" | "mandatory" | "remediate" | "disabled";

export interface AdmissionOptions {
    /** Namespaces the bindings apply to. */
    namespaces: readonly string[];
    /** A pack config as passed with --policy-pack-config (levels and exemptions are used). */
    packConfig?: Record<string, unknown>;
    /**
     * Whose objects these are, unique in the cluster (a stack passes its namespace): names them
     * `<prefix>.<rule>` and labels them app.kubernetes.io/part-of=<prefix>. A DNS label (at most 63
     * characters), so every name is a valid DNS subdomain and two owners' names can never collide.
     */
    prefix: string;
    /** Overrides every binding's actions (the tests use Warn to see every rule's verdict at once). */
    actions?: string[];
}

const ACTIONS: Record<Level, string[]> = { mandatory: ["Deny"], remediate: ["Deny"], advisory: ["Warn", "Audit"], disabled: [] };

function levelOf(rule: string, config: Record<string, unknown>): Level {
    const entry = config[rule];
    const own = typeof entry === "string" ? entry : (entry as { enforcementLevel?: string } | undefined)?.enforcementLevel;
    const all = typeof config.all === "string" ? config.all : undefined;
    const declared = rules.find((r) => r.metadata.name === rule)?.metadata.enforcementLevel;
    return (own ?? all ?? declared ?? "mandatory") as Level;
}

/** A DNS-1123 label: what a namespace name is, and what keeps `<prefix>.<rule>` unambiguous. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** The longest DNS label, which is also the longest label value. */
export const MAX_PREFIX_LENGTH = 63;

/** The name of a rule's policy and binding for an owner. */
export const admissionObjectName = (prefix: string, rule: string): string => `${prefix}.${rule}`;

function checkPrefix(prefix: string): void {
    if (prefix.length > MAX_PREFIX_LENGTH || !DNS_LABEL.test(prefix)) {
        throw new Error(
            `the admission policies' prefix must be a DNS label: lower-case letters, digits and '-', at most ${MAX_PREFIX_LENGTH} ` +
                `characters (got ${JSON.stringify(prefix)}). Pass the stack's namespace.`,
        );
    }
}

const quote = (value: string) => `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/** A CEL condition that is false for the exempted objects. */
function notExempt(exemptions: readonly Exemption[]): string {
    return exemptions
        .map(
            (e) =>
                `!(object.metadata.name == ${quote(e.name)}` +
                (e.kind ? ` && object.kind == ${quote(e.kind)}` : "") +
                (e.namespace ? ` && object.metadata.namespace == ${quote(e.namespace)}` : "") +
                ")",
        )
        .join(" && ");
}

function resourceRules(check: CelCheck) {
    const targets = check.kinds === "pods" ? Object.values(POD_KINDS) : check.kinds;
    const byApi = new Map<string, string[]>();
    for (const t of targets) {
        byApi.set(`${t.group}/${t.version}`, [...(byApi.get(`${t.group}/${t.version}`) ?? []), t.resource]);
    }
    return [...byApi].map(([api, resources]) => ({
        apiGroups: [api.split("/")[0]],
        apiVersions: [api.split("/")[1]],
        operations: ["CREATE", "UPDATE"],
        resources,
    }));
}

/** The policies and bindings for every single-object rule the CEL table covers. */
export function admissionPolicies(options: AdmissionOptions): K8sObject[] {
    const config = options.packConfig ?? {};
    const prefix = options.prefix;
    checkPrefix(prefix);
    const objects: K8sObject[] = [];
    for (const [rule, check] of Object.entries(CEL_CHECKS)) {
        const level = levelOf(rule, config);
        const actions = options.actions ?? ACTIONS[level];
        if (actions.length === 0) {
            continue;
        }
        const settings = config[rule];
        const exemptions =
            (typeof settings === "object" && settings !== null ? (settings as { exemptions?: Exemption[] }).exemptions : undefined) ?? [];
        const name = admissionObjectName(prefix, rule);
        objects.push({
            apiVersion: "admissionregistration.k8s.io/v1",
            kind: "ValidatingAdmissionPolicy",
            metadata: { name, labels: { "app.kubernetes.io/part-of": prefix, "policy.blog.example/rule": rule } },
            spec: {
                failurePolicy: "Fail",
                matchConstraints: { resourceRules: resourceRules(check) },
                ...(exemptions.length > 0 ? { matchConditions: [{ name: "not-exempt", expression: notExempt(exemptions) }] } : {}),
                ...(check.kinds === "pods" ? { variables: POD_VARIABLES } : {}),
                validations: [{ expression: check.expression, message: `${rule}: ${check.message}` }],
            },
        });
        objects.push({
            apiVersion: "admissionregistration.k8s.io/v1",
            kind: "ValidatingAdmissionPolicyBinding",
            metadata: { name, labels: { "app.kubernetes.io/part-of": prefix, "policy.blog.example/rule": rule } },
            spec: {
                policyName: name,
                validationActions: actions,
                matchResources: {
                    namespaceSelector: {
                        matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: [...options.namespaces] }],
                    },
                },
            },
        });
    }
    return objects;
}

/** Where each rule is enforced: in the cluster (and the pack) or in the pack only. */
export function enforcementSites(): { rule: string; where: "cluster and pack" | "pack only" }[] {
    return rules.map((r) => ({ rule: r.metadata.name, where: CEL_CHECKS[r.metadata.name] ? "cluster and pack" : "pack only" }));
}
