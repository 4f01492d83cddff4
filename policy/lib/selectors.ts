// Label selectors and an index that answers "which workloads might this selector pick?" without comparing
// every selector with every workload: each selector is looked up by its rarest requirement.
import { at, entries, items, type Unknown, UNKNOWN } from "./values";

export interface Requirement {
    key: string;
    operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
    values: string[];
}

/** A parsed selector; UNKNOWN when any part of it is not known during preview. */
export type Selector = { requirements: Requirement[] } | Unknown;
/** Labels of a pod; a single value or the whole map may be UNKNOWN. */
export type Labels = Record<string, string | Unknown> | Unknown;

/** A metav1.LabelSelector (matchLabels + matchExpressions); undefined when absent. */
export function labelSelector(value: unknown): Selector | undefined {
    if (value === UNKNOWN) {
        return UNKNOWN;
    }
    if (value === undefined || value === null) {
        return undefined;
    }
    const requirements: Requirement[] = [];
    const matchLabels = entries(at(value, "matchLabels"));
    const expressions = items(at(value, "matchExpressions"));
    if (matchLabels === UNKNOWN || expressions === UNKNOWN) {
        return UNKNOWN;
    }
    for (const [key, label] of matchLabels) {
        if (typeof label !== "string") {
            return UNKNOWN;
        }
        requirements.push({ key, operator: "In", values: [label] });
    }
    for (const expression of expressions) {
        const key = at(expression, "key");
        const operator = at(expression, "operator");
        const values = items(at(expression, "values"));
        if (typeof key !== "string" || typeof operator !== "string" || values === UNKNOWN || values.some((v) => typeof v !== "string")) {
            return UNKNOWN;
        }
        requirements.push({ key, operator: operator as Requirement["operator"], values: values as string[] });
    }
    return { requirements };
}

/** A Service's equality selector (a plain map); undefined when absent. */
export function mapSelector(value: unknown): Selector | undefined {
    if (value === UNKNOWN) {
        return UNKNOWN;
    }
    const pairs = entries(value);
    if (pairs === UNKNOWN || pairs.some(([, v]) => typeof v !== "string")) {
        return UNKNOWN;
    }
    return value === undefined || value === null
        ? undefined
        : { requirements: pairs.map(([key, v]) => ({ key, operator: "In" as const, values: [v as string] })) };
}

export function labelsOf(value: unknown): Labels {
    const pairs = entries(value);
    if (pairs === UNKNOWN) {
        return UNKNOWN;
    }
    return Object.fromEntries(pairs.map(([key, v]) => [key, v === UNKNOWN ? UNKNOWN : String(v)]));
}

export type Match = "yes" | "maybe" | "no";

/** Whether the selector picks pods with these labels; "maybe" when an unknown value decides it. */
export function matches(selector: Selector, labels: Labels): Match {
    if (selector === UNKNOWN || labels === UNKNOWN) {
        return "maybe";
    }
    let result: Match = "yes";
    for (const { key, operator, values } of selector.requirements) {
        const value = labels[key];
        if (value === UNKNOWN) {
            result = "maybe";
            continue;
        }
        const present = value !== undefined;
        const ok =
            operator === "In"
                ? present && values.includes(value)
                : operator === "NotIn"
                  ? !present || !values.includes(value)
                  : operator === "Exists"
                    ? present
                    : !present;
        if (!ok) {
            return "no";
        }
    }
    return result;
}

export const isEmptySelector = (selector: Selector): boolean => selector !== UNKNOWN && selector.requirements.length === 0;

/** Something selectors pick: it lives in a namespace and carries labels. */
export interface Selectable {
    namespace: string | undefined | Unknown;
    labels: Labels;
}

const UNKNOWN_NAMESPACE = "\u0001unknown-namespace";
/** Stands for a label value not known yet: such items are candidates for any value of the key. */
const UNKNOWN_VALUE = "\u0001unknown-value";
const nsKey = (namespace: string | undefined | Unknown) => (namespace === UNKNOWN ? UNKNOWN_NAMESPACE : (namespace ?? "default"));

/**
 * Indexes items by namespace, label key and key=value pair. candidates() returns a small superset of the
 * items a selector may pick, by looking up the selector's most selective requirement; items whose labels
 * or namespace are unknown are always among the candidates, so nothing is missed during preview.
 */
export class LabelIndex<T extends Selectable> {
    private readonly byNamespace = new Map<string, T[]>();
    /** Items by `<ns>\0<key>` (the label is present) and `<ns>\0<key>\0<value>`. */
    private readonly buckets = new Map<string, T[]>();
    /** Items whose whole label map is unknown, per namespace key and across all. */
    private readonly opaque = new Map<string, T[]>();

    constructor(readonly all: readonly T[]) {
        for (const item of all) {
            for (const ns of [nsKey(item.namespace), "*"]) {
                push(this.byNamespace, ns, item);
                if (item.labels === UNKNOWN) {
                    push(this.opaque, ns, item);
                    continue;
                }
                for (const [key, value] of Object.entries(item.labels)) {
                    push(this.buckets, `${ns}\u0000${key}`, item);
                    push(this.buckets, `${ns}\u0000${key}\u0000${value === UNKNOWN ? UNKNOWN_VALUE : value}`, item);
                }
            }
        }
    }

    /** Items in the namespace (and those whose namespace is unknown); every item when the namespace is unknown. */
    inScope(namespace: string | undefined | Unknown): T[] {
        if (namespace === UNKNOWN) {
            return this.byNamespace.get("*") ?? [];
        }
        return [...(this.byNamespace.get(nsKey(namespace)) ?? []), ...(this.byNamespace.get(UNKNOWN_NAMESPACE) ?? [])];
    }

    /** Items the selector may pick in the namespace: filter them with matches(). */
    candidates(selector: Selector, namespace: string | undefined | Unknown): T[] {
        if (selector === UNKNOWN) {
            return this.inScope(namespace);
        }
        const scopes = namespace === UNKNOWN ? ["*"] : [nsKey(namespace), UNKNOWN_NAMESPACE];
        // Bucket keys per requirement; only the smallest set of buckets is materialised, so a broad
        // requirement (part-of=platform) never costs more than the selector's narrowest one.
        let best: { keys: string[]; size: number } | undefined;
        for (const requirement of selector.requirements) {
            const suffixes =
                requirement.operator === "In"
                    ? [...requirement.values, UNKNOWN_VALUE].map((v) => `${requirement.key}\u0000${v}`)
                    : requirement.operator === "Exists"
                      ? [requirement.key]
                      : undefined;
            if (suffixes === undefined) {
                continue;
            }
            const keys = scopes.flatMap((ns) => suffixes.map((suffix) => `${ns}\u0000${suffix}`));
            const size = keys.reduce((total, key) => total + this.bucket(key).length, 0);
            if (best === undefined || size < best.size) {
                best = { keys, size };
            }
        }
        if (best === undefined) {
            return this.inScope(namespace);
        }
        const opaque = scopes.flatMap((ns) => this.opaque.get(ns) ?? []);
        return [...new Set([...best.keys.flatMap((key) => this.bucket(key)), ...opaque])];
    }

    private bucket(key: string): T[] {
        return this.buckets.get(key) ?? [];
    }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
    const list = map.get(key);
    if (list) {
        list.push(value);
    } else {
        map.set(key, [value]);
    }
}

/** Whether two namespaces may be the same one (unknown namespaces may be anything). */
export function sameNamespace(a: string | undefined | Unknown, b: string | undefined | Unknown): boolean {
    return a === UNKNOWN || b === UNKNOWN || nsKey(a) === nsKey(b);
}
