// The dev stack's NetworkPolicies enforced on the real node: from a probe in every workload's identity
// (and from anonymous pods in the platform and monitoring namespaces and in another namespace) to every
// workload's ports, exactly the service graph's edges, the public gateway, metrics scraping and DNS
// are open; everything else times out. The expected matrix is computed from the topology.
import * as assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { PORTS, WORKLOADS } from "../../../components/monitoring/defaults";
import { selectorLabels } from "../../../components/shared/labels";
import {
    DATA_STORE_NAMES,
    type Edge,
    METRICS_PORTS,
    MIGRATING_SERVICES,
    migrationWorkload,
    platformMetricsPorts,
    SERVICE_NAMES,
    serviceEdges,
    WORKLOAD_PORTS,
    type WorkloadName,
} from "../../../components/shared/topology";
import { PUBLIC_WORKLOADS } from "../../../components/platform";
import { DEFAULTS } from "../../../config/defaults";
import { REPO_ROOT } from "../../helpers/stack-config";
import { kubectl, namespaceGone } from "../helpers";
import { apply } from "../node/node-helpers";
import { isReady, type Pod } from "../../../harness/kube";
import { type DeployedStack, deployStack, destroyStack } from "../../../harness/stacks";
import { type ProbeSpec, probeReachability, removeProbePods, startProbePods } from "./platform";

type Zone = "platform" | "monitoring" | "elsewhere";

/** Who a probe pretends to be: a workload of a zone, or nobody in particular (no workload labels). */
interface Identity {
    row: string;
    zone: Zone;
    workload?: string;
}

/** One column of the matrix: a real workload's pod on one port. */
interface Column {
    column: string;
    zone: Exclude<Zone, "elsewhere">;
    workload: string;
    port: number;
}

const PLATFORM_WORKLOADS: readonly WorkloadName[] = [...SERVICE_NAMES, ...DATA_STORE_NAMES];
const MONITORING_WORKLOADS = [WORKLOADS.prometheus, WORKLOADS.alertmanager, WORKLOADS.kubeStateMetrics] as const;

/** The dev stack's graph: its gateway routes are the default route table (Pulumi.dev.yaml sets none). */
const EDGES: readonly Edge[] = serviceEdges(DEFAULTS.routes.map((route) => route.service));

const IDENTITIES: readonly Identity[] = [
    ...PLATFORM_WORKLOADS.map((workload) => ({ row: workload, zone: "platform" as const, workload })),
    ...MIGRATING_SERVICES.map((service) => ({
        row: migrationWorkload(service),
        zone: "platform" as const,
        workload: migrationWorkload(service),
    })),
    { row: "(no labels)", zone: "platform" },
    ...MONITORING_WORKLOADS.map((workload) => ({ row: `mon/${workload}`, zone: "monitoring" as const, workload })),
    { row: "mon/(no labels)", zone: "monitoring" },
    { row: "other namespace", zone: "elsewhere" },
];

const COLUMNS: readonly Column[] = [
    ...PLATFORM_WORKLOADS.flatMap((workload) =>
        [...new Set([WORKLOAD_PORTS[workload], METRICS_PORTS[workload]])]
            .filter((port): port is number => port !== undefined)
            .map((port) => ({ column: `${workload}:${port}`, zone: "platform" as const, workload, port })),
    ),
    { column: `prometheus:${PORTS.prometheus}`, zone: "monitoring", workload: WORKLOADS.prometheus, port: PORTS.prometheus },
    { column: `alertmanager:${PORTS.alertmanager}`, zone: "monitoring", workload: WORKLOADS.alertmanager, port: PORTS.alertmanager },
    { column: `ksm:${PORTS.kubeStateMetrics}`, zone: "monitoring", workload: WORKLOADS.kubeStateMetrics, port: PORTS.kubeStateMetrics },
    {
        column: `ksm:${PORTS.kubeStateMetricsTelemetry}`,
        zone: "monitoring",
        workload: WORKLOADS.kubeStateMetrics,
        port: PORTS.kubeStateMetricsTelemetry,
    },
];
const DNS_COLUMN = "DNS";

/** A public workload's main port, which admits any source. */
const isPublicEntry = (column: Column) =>
    column.zone === "platform" &&
    PUBLIC_WORKLOADS.includes(column.workload as WorkloadName) &&
    column.port === WORKLOAD_PORTS[column.workload as WorkloadName];

const isEdge = (from: string | undefined, to: string, port: number) =>
    EDGES.some((edge) => edge.from === from && edge.to === to && edge.port === port);

/** What the stack means to allow into a column's pod: its callers in the graph, the public gateway, scraping. */
function admits(column: Column, from: Identity): boolean {
    if (column.zone === "platform") {
        const caller = from.zone === "platform" && isEdge(from.workload, column.workload, column.port);
        const publicEntry = isPublicEntry(column);
        const scraped = from.zone === "monitoring" && METRICS_PORTS[column.workload as WorkloadName] === column.port;
        return caller || publicEntry || scraped;
    }
    // Inside monitoring, Prometheus scrapes kube-state-metrics and pushes alerts to Alertmanager.
    const fromPrometheus = from.zone === "monitoring" && from.workload === WORKLOADS.prometheus;
    return (
        fromPrometheus &&
        ((column.workload === WORKLOADS.kubeStateMetrics && column.port === PORTS.kubeStateMetrics) ||
            (column.workload === WORKLOADS.alertmanager && column.port === PORTS.alertmanager))
    );
}

/** What the stack means to let a probe's identity open: its graph edges, Prometheus its scrapes; elsewhere is not ours. */
function mayOpen(from: Identity, column: Column): boolean {
    switch (from.zone) {
        case "elsewhere":
            return true;
        case "platform":
            return column.zone === "platform" && isEdge(from.workload, column.workload, column.port);
        case "monitoring":
            if (from.workload !== WORKLOADS.prometheus) {
                return false;
            }
            return column.zone === "platform" ? platformMetricsPorts().includes(column.port) : column.workload !== WORKLOADS.prometheus;
    }
}

/** The intended cell: a connection needs both the source's egress and the destination's ingress. */
function intendedOpen(from: Identity, column: Column): boolean {
    return mayOpen(from, column) && admits(column, from);
}

/**
 * Where the enforcing agent lets more through than the policies say. kube-router v2.1.0 puts a policy's
 * ingress and egress rules in one chain that it walks for both directions, and it writes a rule that
 * admits any source as "destination in the selected pods, this port" (pkg/controllers/netpol/policy.go,
 * "ACCEPT traffic from all sources to dest pods"). A pod selected by the same policy sending to another
 * selected pod matches it on the way out, so the public workload's pods reach each other on its public
 * port although its egress names only its routes. Harmless here (anyone may reach that port), and
 * listed so that an agent which gets it right fails this test on exactly these cells.
 */
function agentOpensBetweenPeers(from: Identity, column: Column): boolean {
    return from.zone === "platform" && from.workload === column.workload && isPublicEntry(column);
}

function expectedOpen(from: Identity, column: Column): boolean {
    return intendedOpen(from, column) || agentOpensBetweenPeers(from, column);
}

/** Every labelled pod of ours may look names up; an unlabelled one only has the default deny. */
function expectedDns(from: Identity): boolean {
    return from.zone === "elsewhere" || from.workload !== undefined;
}

function renderMatrix(rows: readonly Identity[], cell: (row: Identity, column: string) => boolean): string {
    const columns = [...COLUMNS.map((c) => c.column), DNS_COLUMN];
    const width = Math.max(...rows.map((row) => row.row.length));
    const header = `${" ".repeat(width)}  ${columns.map((_, i) => String.fromCharCode(65 + i)).join(" ")}`;
    const legend = columns.map((c, i) => `${String.fromCharCode(65 + i)}=${c}`).join("  ");
    const lines = rows.map((row) => `${row.row.padEnd(width)}  ${columns.map((c) => (cell(row, c) ? "✓" : "·")).join(" ")}`);
    return [legend, header, ...lines].map((line) => `      ${line}`).join("\n");
}

describe("network isolation of the dev stack on the real node", function () {
    this.timeout(15 * 60 * 1000);
    let deployed: DeployedStack | undefined;
    let namespaces: Record<Zone, string>;
    let probes: Map<string, ProbeSpec>;

    after(async () => {
        if (namespaces) {
            removeProbePods([namespaces.platform, namespaces.monitoring]);
            kubectl(["delete", "namespace", namespaces.elsewhere, "--ignore-not-found", "--wait=false"], { mayFail: true });
        }
        destroyStack(deployed);
        if (namespaces) {
            await namespaceGone(namespaces.elsewhere);
        }
    });

    it("deploys the dev stack with its monitoring", () => {
        deployed = deployStack("dev", "iso");
        namespaces = {
            platform: deployed.namespace,
            monitoring: `${deployed.namespace}-monitoring`,
            elsewhere: `${deployed.namespace}-elsewhere`,
        };
        console.log(`      pulumi up: ${deployed.upSeconds.toFixed(1)} s`);
    });

    it("opens exactly the service graph's edges, the public gateway, metrics scraping and DNS", async () => {
        assert.ok(deployed, "the stack did not deploy");
        apply({
            apiVersion: "v1",
            kind: "Namespace",
            metadata: { name: namespaces.elsewhere, labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
        });
        const image = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, ".state", "images.json"), "utf8")) as Record<string, string>)[
            "debian-base"
        ];
        probes = new Map(
            IDENTITIES.map((identity) => [
                identity.row,
                {
                    name: `probe-${identity.workload ?? "anonymous"}`,
                    namespace: namespaces[identity.zone],
                    labels: identity.workload ? selectorLabels(identity.workload) : {},
                },
            ]),
        );
        // The namespace's default ServiceAccount appears a moment after the namespace; pods wait for it.
        for (let i = 0; i < 30 && kubectl(["-n", namespaces.elsewhere, "get", "sa", "default"], { mayFail: true }).status !== 0; i++) {
            await new Promise((resolve) => setTimeout(resolve, 500));
        }
        startProbePods([...probes.values()], image);

        const podIp = new Map<string, string>();
        for (const zone of ["platform", "monitoring"] as const) {
            const pods = JSON.parse(kubectl(["-n", namespaces[zone], "get", "pods", "-o", "json"]).stdout) as { items: Pod[] };
            for (const pod of pods.items.filter((p) => isReady(p) && !p.metadata.labels?.["blog.test/probe"])) {
                const workload = pod.metadata.labels?.["app.kubernetes.io/name"];
                if (workload && pod.status.podIP) {
                    podIp.set(`${zone}/${workload}`, pod.status.podIP);
                }
            }
        }
        const missing = COLUMNS.filter((c) => !podIp.has(`${c.zone}/${c.workload}`)).map((c) => c.column);
        assert.deepStrictEqual(missing, [], "workloads without a Ready pod to probe");
        const targets = COLUMNS.map((c) => ({ host: podIp.get(`${c.zone}/${c.workload}`) as string, port: c.port }));
        const dnsName = `gateway.${namespaces.platform}.svc.cluster.local`;

        // The policy agent programs a new pod's address a moment after the pod starts: measure until two
        // rounds agree (a real wrong cell stays wrong), at most five rounds.
        const measure = async () => {
            const results = await Promise.all(
                IDENTITIES.map((identity) => probeReachability(probes.get(identity.row) as ProbeSpec, targets, dnsName)),
            );
            slowestOpenMs.push(Math.max(...results.map((result) => result.slowestOpenMs)));
            return new Map(
                IDENTITIES.map((identity, i) => [
                    identity.row,
                    new Map<string, boolean>([
                        ...COLUMNS.map((c, j): [string, boolean] => [
                            c.column,
                            results[i].open.has(`${targets[j].host}:${targets[j].port}`),
                        ]),
                        [DNS_COLUMN, results[i].dns],
                    ]),
                ]),
            );
        };
        const slowestOpenMs: number[] = [];
        const started = Date.now();
        let previous = "";
        let actual = await measure();
        let rounds = 1;
        while (rounds < 5 && JSON.stringify([...actual].map(([r, m]) => [r, [...m]])) !== previous) {
            previous = JSON.stringify([...actual].map(([r, m]) => [r, [...m]]));
            await new Promise((resolve) => setTimeout(resolve, 2000));
            actual = await measure();
            rounds++;
        }
        const seconds = (Date.now() - started) / 1000;

        const expected = (row: Identity, column: string) =>
            column === DNS_COLUMN ? expectedDns(row) : expectedOpen(row, COLUMNS.find((c) => c.column === column) as Column);
        console.log("      measured (✓ connects, · times out or is refused):");
        console.log(renderMatrix(IDENTITIES, (row, column) => actual.get(row.row)?.get(column) === true));
        console.log(`      ${IDENTITIES.length} probes × ${COLUMNS.length + 1} columns, ${rounds} rounds in ${seconds.toFixed(1)} s`);
        // How close an allowed connect came to the probe's 2 s deadline: the margin a slower machine has.
        console.log(`      slowest accepted connect per round: ${slowestOpenMs.map((ms) => `${ms.toFixed(0)} ms`).join(", ")}`);
        const beyondPolicy = IDENTITIES.flatMap((row) =>
            COLUMNS.filter((c) => agentOpensBetweenPeers(row, c) && !intendedOpen(row, c)).map((c) => `${row.row} → ${c.column}`),
        );
        console.log(`      open beyond the policies, by kube-router's shared chain: ${beyondPolicy.join(", ") || "none"}`);

        const wrong = IDENTITIES.flatMap((row) =>
            [...COLUMNS.map((c) => c.column), DNS_COLUMN]
                .filter((column) => (actual.get(row.row)?.get(column) === true) !== expected(row, column))
                .map(
                    (column) =>
                        `${row.row} → ${column}: ${expected(row, column) ? "should connect but does not" : "connects but should not"}`,
                ),
        );
        if (wrong.length > 0) {
            console.log("      expected:");
            console.log(renderMatrix(IDENTITIES, expected));
        }
        assert.deepStrictEqual(wrong, [], `cells that differ from the service graph:\n${wrong.join("\n")}`);
    });
});
