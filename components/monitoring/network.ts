// NetworkPolicies of the monitoring namespace, on top of its default deny: who may talk to whom, as
// allowFrom / allowTo between workloads, namespaces and CIDRs.
import * as k8s from "@pulumi/kubernetes";
import { selectorLabels } from "../shared/labels";
import { PORTS, WORKLOADS } from "./defaults";
import { ResolvedMonitoringArgs } from "./spec";

type NetworkPolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;
type Peer = k8s.types.input.networking.v1.NetworkPolicyPeer;
type Rule = { peers: Peer[]; ports: number[]; protocol?: "TCP" | "UDP" };

/** Peers, named for what they select. */
export const Peers = {
    workload: (name: string): Peer => ({ podSelector: { matchLabels: selectorLabels(name) } }),
    namespace: (name: string): Peer => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } } }),
    podsIn: (namespace: string, labels: Record<string, string>): Peer => ({
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } },
        podSelector: { matchLabels: labels },
    }),
    cidr: (cidr: string): Peer => ({ ipBlock: { cidr } }),
};

/** The API server's Service port and its usual backend ports (policies see the post-DNAT port). */
export const API_SERVER_PORTS = [443, 6443];
/** The kubelet's authenticated port, where cAdvisor metrics are read. */
export const KUBELET_PORT = 10250;

function policy(workload: string, ingress: Rule[], egress: Rule[]): NetworkPolicySpec {
    const ports = (rule: Rule) => rule.ports.map((port) => ({ protocol: rule.protocol ?? "TCP", port }));
    return {
        podSelector: { matchLabels: selectorLabels(workload) },
        policyTypes: ["Ingress", "Egress"],
        ingress: ingress.map((rule) => ({ from: rule.peers, ports: ports(rule) })),
        egress: egress.map((rule) => ({ to: rule.peers, ports: ports(rule) })),
    };
}

/** Ports a webhook URL connects to: its explicit port, or its scheme's. */
export function webhookPort(url: string): number {
    const parsed = new URL(url);
    return parsed.port !== "" ? Number(parsed.port) : parsed.protocol === "https:" ? 443 : 80;
}

/** Every policy of the namespace, keyed by workload. */
export function monitoringNetworkPolicies(a: ResolvedMonitoringArgs): Record<string, NetworkPolicySpec> {
    const dns = [
        { peers: [Peers.podsIn(a.dns.namespace, a.dns.podLabels)], ports: [53], protocol: "UDP" as const },
        { peers: [Peers.podsIn(a.dns.namespace, a.dns.podLabels)], ports: [53], protocol: "TCP" as const },
    ];
    const apiServer = { peers: [Peers.cidr(a.nodeCidr)], ports: API_SERVER_PORTS };
    const fromPrometheus = (port: number) => ({ peers: [Peers.workload(WORKLOADS.prometheus)], ports: [port] });
    const webhookPorts = [...new Set(a.receivers.map((receiver) => webhookPort(receiver.webhookUrl)))].sort((x, y) => x - y);
    return {
        [WORKLOADS.prometheus]: policy(WORKLOADS.prometheus,
            [{ peers: [Peers.workload(WORKLOADS.grafana)], ports: [PORTS.prometheus] }],
            [
                ...dns,
                { peers: [Peers.namespace(a.platformNamespace)], ports: [...a.platformMetricsPorts].sort((x, y) => x - y) },
                { peers: [Peers.workload(WORKLOADS.kubeStateMetrics)], ports: [PORTS.kubeStateMetrics] },
                { peers: [Peers.workload(WORKLOADS.alertmanager)], ports: [PORTS.alertmanager] },
                { peers: [Peers.workload(WORKLOADS.grafana)], ports: [PORTS.grafana] },
                { peers: [Peers.cidr(a.nodeCidr)], ports: [...API_SERVER_PORTS, KUBELET_PORT] },
            ]),
        [WORKLOADS.kubeStateMetrics]: policy(WORKLOADS.kubeStateMetrics, [fromPrometheus(PORTS.kubeStateMetrics)], [...dns, apiServer]),
        [WORKLOADS.alertmanager]: policy(WORKLOADS.alertmanager,
            [fromPrometheus(PORTS.alertmanager)],
            // Webhook receivers live anywhere (chat, paging services): only their ports are allowed.
            [...dns, ...(webhookPorts.length > 0 ? [{ peers: [Peers.cidr("0.0.0.0/0")], ports: webhookPorts }] : [])]),
        // Users reach Grafana with kubectl port-forward, which enters the pod through the kubelet and is
        // not subject to NetworkPolicy; in-cluster, only Prometheus (scraping it) is admitted.
        [WORKLOADS.grafana]: policy(WORKLOADS.grafana,
            [fromPrometheus(PORTS.grafana)],
            [...dns, { peers: [Peers.workload(WORKLOADS.prometheus)], ports: [PORTS.prometheus] }]),
    };
}
