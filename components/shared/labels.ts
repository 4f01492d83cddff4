// Recommended Kubernetes labels and the components' annotation prefix: one place decides how workloads are
// labelled, selected and annotated, for this platform or for a program that adopts the components.

/** How the components label and annotate what they create. */
export interface Labelling {
    /**
     * `app.kubernetes.io/part-of` on every object, in every selector the components build, and on the
     * namespace. A Kubernetes label value. @default "blog-platform"
     */
    partOf: string;
    /**
     * Prefix of the components' own annotations (`<prefix>/config-checksum`, `<prefix>/secrets-checksum`): a
     * DNS subdomain the adopter owns, without the slash. @default "blog.example.com"
     */
    annotationPrefix: string;
}

/** The platform's own labelling: what every component renders unless a program sets another. */
export const DEFAULT_LABELLING: Readonly<Labelling> = Object.freeze({ partOf: "blog-platform", annotationPrefix: "blog.example.com" });

/** The default `app.kubernetes.io/part-of` value; components read labelling(), which a program may change. */
export const PART_OF = DEFAULT_LABELLING.partOf;

// One setting per program rather than an argument on every component: selectors are immutable and must
// agree across objects (a Service's selector, a NetworkPolicy's podSelector and peers, a PDB's, and the
// pods' labels), including peers an adopter builds with Peers.workload. An argument would have to be
// threaded through every builder, and one missed would silently select nothing. A Pulumi program is one
// process building one stack, so a process-wide value read while components are constructed is a
// per-stack setting, like a provider's config. It freezes at the first read: a change after that would
// leave the objects already built with the old labels, so setLabelling refuses it instead.
let current: Readonly<Labelling> = DEFAULT_LABELLING;
let frozen = false;

const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Problems with a labelling, one line each in the house format; empty when it is valid. */
export function labellingProblems(settings: Partial<Labelling>): string[] {
    const problems: string[] = [];
    const got = (value: unknown) => (typeof value === "string" ? JSON.stringify(value) : String(value));
    if (settings.partOf !== undefined && (typeof settings.partOf !== "string" || !LABEL_VALUE.test(settings.partOf))) {
        problems.push(
            `labelling.partOf must be a Kubernetes label value: 1-63 letters, digits, '-', '_' or '.', beginning and ending with a ` +
                `letter or digit (got ${got(settings.partOf)}). Pass e.g. setLabelling({ partOf: "shop" }).`,
        );
    }
    const prefix = settings.annotationPrefix;
    if (prefix !== undefined) {
        if (typeof prefix !== "string" || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) {
            problems.push(
                `labelling.annotationPrefix must be a DNS subdomain without the slash, at most 253 characters (got ${got(prefix)}). ` +
                    `Pass a domain you own, e.g. setLabelling({ annotationPrefix: "shop.example.com" }).`,
            );
        } else if (/(^|\.)(kubernetes\.io|k8s\.io)$/.test(prefix)) {
            problems.push(
                `labelling.annotationPrefix must not be under kubernetes.io or k8s.io, which Kubernetes reserves (got ${got(prefix)}). ` +
                    `Pass a domain you own, e.g. setLabelling({ annotationPrefix: "shop.example.com" }).`,
            );
        }
    }
    return problems;
}

/**
 * Sets how every component labels and annotates, for the whole program: call it once, before creating any
 * component. Unset fields keep DEFAULT_LABELLING's. Throws, listing every problem, on an invalid value, and
 * on a change after a component has read the labelling (the same value again is accepted).
 */
export function setLabelling(settings: Partial<Labelling>): Readonly<Labelling> {
    const problems = labellingProblems(settings);
    if (problems.length > 0) {
        throw new Error(problems.join("\n"));
    }
    const next = Object.freeze({ ...DEFAULT_LABELLING, ...definedOnly(settings) });
    if (frozen && (next.partOf !== current.partOf || next.annotationPrefix !== current.annotationPrefix)) {
        throw new Error(
            `setLabelling must be called before any component is created (got ${JSON.stringify(next)} after objects were built with ` +
                `${JSON.stringify(current)}). Call it first in the program, before the first component.`,
        );
    }
    current = next;
    return current;
}

/** The program's labelling; reading it fixes it for the rest of the program. */
export function labelling(): Readonly<Labelling> {
    frozen = true;
    return current;
}

/** An annotation key under the program's prefix, e.g. annotationKey("config-checksum"). */
export function annotationKey(name: string): string {
    return `${labelling().annotationPrefix}/${name}`;
}

/** The labels that select a workload's pods; stable for the workload's lifetime (selectors are immutable). */
export function selectorLabels(workload: string): Record<string, string> {
    return {
        "app.kubernetes.io/name": workload,
        "app.kubernetes.io/part-of": labelling().partOf,
    };
}

/** Everything we label: the selector plus descriptive labels that may change without a replacement. */
export function commonLabels(workload: string, component: string): Record<string, string> {
    return {
        ...selectorLabels(workload),
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/managed-by": "pulumi",
    };
}

/** The labels of a namespace the components create: part-of only (pods are selected by their own labels). */
export function namespaceLabels(): Record<string, string> {
    return { "app.kubernetes.io/part-of": labelling().partOf };
}

function definedOnly<T extends object>(value: T): Partial<T> {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
