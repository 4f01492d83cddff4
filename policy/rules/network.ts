// Network exposure and isolation: no Services opened on nodes or load balancers unless allowed, every
// workload under a NetworkPolicy on top of a namespace default deny, every Service backed by pods.
import { resourceRule, type Rule, stackRule, type StackObject } from "../lib/rule";
import { isEmptySelector, labelSelector, mapSelector, matches, type Selector } from "../lib/selectors";
import { selectedWorkloads } from "../lib/services";
import { at, isKnown, items, show, text, type Unknown, UNKNOWN } from "../lib/values";
import { indexWorkloads, ofKind, type Workload, workloadsOf } from "../lib/workloads";

export const serviceExposure = resourceRule(
    {
        name: "service-exposure",
        title: "No LoadBalancer or NodePort Services",
        family: "network",
        severity: "high",
        description:
            "Services must not be of type LoadBalancer or NodePort, which expose pods outside the cluster, unless this policy's " +
            "exemptions allow the Service by name with a reason.",
        remediation:
            "Use a ClusterIP Service behind an Ingress or Gateway, or add the Service to this policy's exemptions with the reason it " +
            "must be exposed.",
    },
    {
        accepts: (api) => api.kind === "Service",
        check({ props, report }) {
            const type = text(at(props, "spec", "type"));
            if (type === "LoadBalancer" || type === "NodePort") {
                report(
                    `is of type ${type}, which exposes it outside the cluster. Use ClusterIP behind an Ingress, or exempt it in the ` +
                        "policy config with a reason.",
                );
            }
        },
    },
);

/** A NetworkPolicy's pod selector; an absent podSelector selects every pod, like an empty one. */
function podSelectorOf(policy: StackObject): Selector {
    const spec = at(policy.props, "spec");
    if (spec === UNKNOWN) {
        return UNKNOWN;
    }
    return labelSelector(at(spec, "podSelector")) ?? { requirements: [] };
}

/** Tracks which workloads some selector may pick, with namespace-wide and everything-wide shortcuts. */
class Coverage {
    private readonly covered = new Set<Workload>();
    private readonly wholeNamespaces = new Set<string | undefined>();
    private everything = false;

    constructor(private readonly workloads: Workload[]) {}

    add(selector: Selector, namespace: string | undefined | Unknown, index: ReturnType<typeof indexWorkloads>): void {
        if (namespace === UNKNOWN && (selector === UNKNOWN || isEmptySelector(selector))) {
            this.everything = true;
        } else if (selector === UNKNOWN || isEmptySelector(selector)) {
            this.wholeNamespaces.add((namespace as string | undefined) ?? "default");
        } else {
            for (const workload of index.candidates(selector, namespace)) {
                if (matches(selector, workload.labels) !== "no") {
                    this.covered.add(workload);
                }
            }
        }
    }

    uncovered(): Workload[] {
        if (this.everything) {
            return [];
        }
        return this.workloads.filter(
            (w) =>
                !this.covered.has(w) &&
                !(w.namespace === UNKNOWN ? this.wholeNamespaces.size > 0 : this.wholeNamespaces.has(w.namespace ?? "default")),
        );
    }
}

export const networkPolicyCoverage = stackRule(
    {
        name: "network-policy-coverage",
        title: "Workloads under a NetworkPolicy",
        family: "network",
        severity: "high",
        description:
            "Every workload's pods must be selected by at least one NetworkPolicy in their namespace, so their allowed traffic is " +
            "stated rather than implied.",
        remediation: "Add a NetworkPolicy whose podSelector matches the workload's pod labels and allows exactly the traffic it needs.",
    },
    {
        check({ objects, report }) {
            const workloads = workloadsOf(objects);
            const index = indexWorkloads(workloads);
            const coverage = new Coverage(workloads);
            for (const policy of ofKind(objects, "NetworkPolicy")) {
                coverage.add(podSelectorOf(policy), policy.namespace, index);
            }
            for (const workload of coverage.uncovered()) {
                report(workload.object, "no NetworkPolicy selects its pods. Add one whose podSelector matches the pod template's labels.");
            }
        },
    },
);

/** A NetworkPolicy that selects every pod of its namespace and allows nothing in either direction. */
function isDefaultDeny(policy: StackObject): boolean | Unknown {
    const spec = at(policy.props, "spec");
    const selector = podSelectorOf(policy);
    const types = items(at(spec, "policyTypes"));
    const ingress = items(at(spec, "ingress"));
    const egress = items(at(spec, "egress"));
    if (
        spec === UNKNOWN ||
        selector === UNKNOWN ||
        types === UNKNOWN ||
        ingress === UNKNOWN ||
        egress === UNKNOWN ||
        types.includes(UNKNOWN)
    ) {
        return UNKNOWN;
    }
    return (
        isEmptySelector(selector) && types.includes("Ingress") && types.includes("Egress") && ingress.length === 0 && egress.length === 0
    );
}

export const networkDefaultDeny = stackRule(
    {
        name: "network-default-deny",
        title: "Namespace default deny",
        family: "network",
        severity: "high",
        description:
            "Every namespace that runs workloads must have a default-deny NetworkPolicy: an empty podSelector, policyTypes Ingress " +
            "and Egress, and no rules.",
        remediation:
            "Add a NetworkPolicy with podSelector: {}, policyTypes: [Ingress, Egress] and no ingress or egress rules to the namespace.",
    },
    {
        check({ objects, report }) {
            const denied = new Set<string>();
            let unknownDeny = false;
            for (const policy of ofKind(objects, "NetworkPolicy")) {
                const deny = isDefaultDeny(policy);
                if (deny === UNKNOWN || (deny && policy.namespace === UNKNOWN)) {
                    unknownDeny = true;
                } else if (deny) {
                    denied.add((policy.namespace as string | undefined) ?? "default");
                }
            }
            if (unknownDeny) {
                return; // a policy not known yet may be the namespace's default deny
            }
            const namespaces = new Map<string, StackObject>();
            for (const workload of workloadsOf(objects)) {
                if (isKnown(workload.namespace)) {
                    const ns = workload.namespace ?? "default";
                    if (!namespaces.has(ns)) {
                        namespaces.set(ns, workload.object);
                    }
                }
            }
            const declared = new Map(ofKind(objects, "Namespace").flatMap((n) => (n.name ? [[n.name, n] as const] : [])));
            for (const [namespace, firstWorkload] of namespaces) {
                if (!denied.has(namespace)) {
                    report(
                        declared.get(namespace) ?? firstWorkload,
                        `namespace "${namespace}" runs workloads but has no default-deny NetworkPolicy. Add one with podSelector: {} ` +
                            "and policyTypes [Ingress, Egress].",
                    );
                }
            }
        },
    },
);

export const serviceSelector = stackRule(
    {
        name: "service-selector",
        title: "Services select workloads",
        family: "network",
        severity: "medium",
        description:
            "Every Service with a selector must select the pods of at least one workload in its namespace, counting the labels " +
            "controllers add to pods (statefulset.kubernetes.io/pod-name, apps.kubernetes.io/pod-index, controller-revision-hash, " +
            "pod-template-hash); a selector that matches nothing leaves the Service without endpoints.",
        remediation:
            "Make the Service's selector a subset of the target workload's pod template labels (the workload's selector labels), " +
            "plus at most the labels its controller adds.",
    },
    {
        check({ objects, report }) {
            const index = indexWorkloads(workloadsOf(objects));
            for (const service of ofKind(objects, "Service")) {
                if (at(service.props, "spec", "type") === "ExternalName") {
                    continue;
                }
                const selector = mapSelector(at(service.props, "spec", "selector"));
                if (selector === undefined || selector === UNKNOWN || isEmptySelector(selector)) {
                    continue; // no selector: endpoints are managed by hand
                }
                if (selectedWorkloads(index, selector, service.namespace).length === 0) {
                    const wanted = selector.requirements.map((r) => `${r.key}=${r.values[0]}`).join(", ");
                    report(
                        service,
                        `selects ${wanted}, but no workload in its namespace has pods with those labels. Fix the selector or the pod ` +
                            "template labels.",
                    );
                }
            }
        },
    },
);

/** A container port's number from a probe's or Service's port (a number, or a container port's name). */
function containerPortOf(containers: unknown[], port: unknown): number | undefined {
    if (typeof port === "number") {
        return port;
    }
    for (const container of containers) {
        const found = items(at(container, "ports"));
        if (isKnown(found)) {
            const named = found.find((p) => at(p, "name") === port);
            if (named !== undefined && typeof at(named, "containerPort") === "number") {
                return at(named, "containerPort") as number;
            }
        }
    }
    return undefined;
}

/** The pod's internal endpoints by container port: its HTTP probes' paths and its scrape annotation's path. */
function internalEndpointsOf(workload: Workload): Map<number, string[]> {
    const endpoints = new Map<number, string[]>();
    const add = (port: number | undefined, what: string) => {
        if (port !== undefined) {
            endpoints.set(port, [...(endpoints.get(port) ?? []), what]);
        }
    };
    const containers = items(at(workload.pod.spec, "containers"));
    if (!isKnown(containers)) {
        return endpoints;
    }
    for (const container of containers) {
        for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"]) {
            const get = at(container, probe, "httpGet");
            if (get !== undefined && isKnown(get)) {
                add(containerPortOf(containers, at(get, "port")), `${probe} ${show(at(get, "path"))}`);
            }
        }
    }
    const annotations = at(workload.pod.metadata, "annotations");
    const scrapePort = at(annotations, "prometheus.io/port");
    if (at(annotations, "prometheus.io/scrape") === "true" && typeof scrapePort === "string" && /^[0-9]+$/.test(scrapePort)) {
        add(Number(scrapePort), `metrics ${show(at(annotations, "prometheus.io/path") ?? "/metrics")}`);
    }
    return endpoints;
}

/** The Service ports an Ingress sends traffic to, as [Service name, port number or name]. */
function ingressBackends(ingress: StackObject): [string, unknown][] {
    const backends: unknown[] = [at(ingress.props, "spec", "defaultBackend")];
    const rules = items(at(ingress.props, "spec", "rules"));
    for (const rule of isKnown(rules) ? rules : []) {
        const paths = items(at(rule, "http", "paths"));
        backends.push(...(isKnown(paths) ? paths.map((path) => at(path, "backend")) : []));
    }
    return backends
        .map((backend) => [
            text(at(backend, "service", "name")),
            at(backend, "service", "port", "number") ?? at(backend, "service", "port", "name"),
        ])
        .filter((backend): backend is [string, unknown] => typeof backend[0] === "string");
}

export const publicEntryInternalEndpoints = stackRule(
    {
        name: "public-entry-internal-endpoints",
        title: "The public entry reaches no probe or metrics port",
        family: "network",
        severity: "high",
        description:
            "A port that traffic from outside the cluster reaches (an Ingress backend, or a LoadBalancer or NodePort Service) must " +
            "not be a port the selected pods serve an HTTP probe or their Prometheus metrics on: everything under that port would " +
            "be public, and an entry that passes every path under a prefix makes metrics and probe details readable by anyone.",
        remediation:
            "Serve the probes and /metrics on a port of their own (the platform's admin port, 9464) that no Service for the public " +
            "points at, and point the probes and the prometheus.io/port annotation there.",
    },
    {
        check({ objects, report }) {
            const index = indexWorkloads(workloadsOf(objects));
            const services = ofKind(objects, "Service");
            // Each public Service port: the Service and which of its ports outside traffic reaches.
            const entries: { service: StackObject; port: unknown; via: string }[] = [];
            for (const ingress of ofKind(objects, "Ingress")) {
                for (const [name, port] of ingressBackends(ingress)) {
                    const service = services.find((s) => s.name === name && s.namespace === ingress.namespace);
                    if (service) {
                        entries.push({ service, port, via: `${ingress.display}` });
                    }
                }
            }
            for (const service of services) {
                const type = at(service.props, "spec", "type");
                if (type === "LoadBalancer" || type === "NodePort") {
                    entries.push({ service, port: undefined, via: `its type ${type}` });
                }
            }
            for (const { service, port, via } of entries) {
                const selector = mapSelector(at(service.props, "spec", "selector"));
                const ports = items(at(service.props, "spec", "ports"));
                if (selector === undefined || selector === UNKNOWN || isEmptySelector(selector) || !isKnown(ports)) {
                    continue;
                }
                const reached = ports.filter((p) => port === undefined || at(p, "port") === port || at(p, "name") === port);
                for (const workload of selectedWorkloads(index, selector, service.namespace)) {
                    const internal = internalEndpointsOf(workload);
                    const containers = items(at(workload.pod.spec, "containers"));
                    for (const servicePort of reached) {
                        const target = at(servicePort, "targetPort") ?? at(servicePort, "port");
                        const containerPort = isKnown(containers) ? containerPortOf(containers, target) : undefined;
                        const served = containerPort === undefined ? undefined : internal.get(containerPort);
                        if (served) {
                            report(
                                service,
                                `port ${show(at(servicePort, "port"))} is public through ${via} and reaches ${workload.object.display}'s ` +
                                    `container port ${containerPort}, which serves ${served.join(", ")}. Move those to a port no public ` +
                                    "Service points at.",
                            );
                        }
                    }
                }
            }
        },
    },
);

export const NETWORK_RULES: readonly Rule[] = [
    serviceExposure,
    networkPolicyCoverage,
    networkDefaultDeny,
    serviceSelector,
    publicEntryInternalEndpoints,
];
