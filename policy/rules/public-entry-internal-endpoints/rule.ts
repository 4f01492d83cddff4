// public-entry-internal-endpoints, "The public entry reaches no probe or metrics port": the rule's metadata and check.
import { type StackObject, stackRule } from "../../lib/rule";
import { isEmptySelector, mapSelector } from "../../lib/selectors";
import { selectedWorkloads } from "../../lib/services";
import { at, isKnown, items, show, text, UNKNOWN } from "../../lib/values";
import { indexWorkloads, ofKind, type Workload, workloadsOf } from "../../lib/workloads";

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
