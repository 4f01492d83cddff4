// The architecture as a Mermaid flowchart, drawn from the same graph the wiring and the NetworkPolicies
// are built from (serviceEdges, METRICS_PORTS): the README's picture is this function's output
// (scripts/docs-diagram writes it; test/unit/docs.test.ts fails when the two differ).
import { PORTS, WORKLOADS } from "../monitoring/defaults";
import { DATA_STORE_NAMES, type Edge, type RoutableService, WORKLOAD_PORTS, type WorkloadName } from "./topology";

export interface DiagramRoute {
    path: string;
    service: RoutableService;
}

/** Mermaid node ids may not contain "-" (it reads as an arrow): `auth-migrate` → `auth_migrate`. */
const id = (name: string) => name.replace(/-/g, "_");
const isDataStore = (name: string) => (DATA_STORE_NAMES as readonly string[]).includes(name);

/** How a node is drawn: data stores as cylinders, Jobs and CronJobs with their kind. */
function node(name: string): string {
    if (isDataStore(name)) {
        return `${id(name)}[("${name}")]`;
    }
    if (name.endsWith("-migrate")) {
        return `${id(name)}["${name} (Job)"]`;
    }
    if (name.endsWith("-backup")) {
        return `${id(name)}["${name} (CronJob)"]`;
    }
    return `${id(name)}["${name}"]`;
}

/**
 * The flowchart: the public entry into the gateway, the gateway's routes (labelled with their paths),
 * every allowed connection of `edges` with its port, and what the monitoring namespace reaches.
 */
export function architectureDiagram(
    routes: readonly DiagramRoute[],
    edges: readonly Edge[],
    metricsPorts: Readonly<Record<WorkloadName, number | undefined>>,
): string {
    const platformNodes = [...new Set(edges.flatMap((edge) => [edge.from, edge.to]))];
    const routeLabels = (to: string) =>
        routes
            .filter((route) => route.service === to)
            .map((route) => route.path)
            .join(" ");
    const arrows = edges.map((edge) => {
        const label = edge.from === "gateway" ? `${routeLabels(edge.to)} :${edge.port}` : `:${edge.port}`;
        return `    ${id(edge.from)} -->|"${label}"| ${id(edge.to)}`;
    });
    const scraped = (Object.entries(metricsPorts) as [WorkloadName, number | undefined][]).filter(
        (entry): entry is [WorkloadName, number] => entry[1] !== undefined,
    );
    const monitoring = [WORKLOADS.prometheus, WORKLOADS.alertmanager, WORKLOADS.grafana, WORKLOADS.kubeStateMetrics];
    return [
        "flowchart LR",
        '    client(["client, through the Ingress or a port-forward"])',
        '    subgraph platform["platform namespace"]',
        ...platformNodes.map((name) => `        ${node(name)}`),
        "    end",
        '    subgraph monitoringNs["monitoring namespace"]',
        ...monitoring.map((name) => `        ${node(name)}`),
        "    end",
        // After the subgraphs, so that each node is drawn inside the one that lists it.
        `    client -->|":${WORKLOAD_PORTS.gateway}"| gateway`,
        ...arrows,
        ...scraped.map(([workload, port]) => `    ${id(WORKLOADS.prometheus)} -.->|"scrape :${port}"| ${id(workload)}`),
        `    ${id(WORKLOADS.prometheus)} -.->|"scrape :${PORTS.kubeStateMetrics}"| ${id(WORKLOADS.kubeStateMetrics)}`,
        `    ${id(WORKLOADS.prometheus)} -->|":${PORTS.alertmanager}"| ${id(WORKLOADS.alertmanager)}`,
        `    ${id(WORKLOADS.grafana)} -->|":${PORTS.prometheus}"| ${id(WORKLOADS.prometheus)}`,
    ].join("\n");
}
