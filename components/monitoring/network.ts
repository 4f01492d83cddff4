// NetworkPolicies of the monitoring namespace, on top of its default deny: who may talk to whom, as
// allowFrom / allowTo between workloads, namespaces and CIDRs.
import type * as k8s from "@pulumi/kubernetes";
import { dnsEgress, networkPolicySpec, Peers, type Rule } from "../shared/network-policy";
import { PORTS, WORKLOADS } from "./defaults";
import type { ResolvedMonitoringArgs } from "./spec";

type NetworkPolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;

/** The API server's Service port and its usual backend ports (policies see the post-DNAT port). */
export const API_SERVER_PORTS = [443, 6443];
/** The kubelet's authenticated port, where cAdvisor metrics are read. */
export const KUBELET_PORT = 10250;

/** Ports a webhook URL connects to: its explicit port, or its scheme's. */
export function webhookPort(url: string): number {
    const parsed = new URL(url);
    return parsed.port !== "" ? Number(parsed.port) : parsed.protocol === "https:" ? 443 : 80;
}

const IPV4 = /^(\d{1,3}\.){3}\d{1,3}$/;

/**
 * Where a webhook URL connects: exactly its address when the URL names one (an IP literal), else any
 * address, since a host name resolves only at send time and receivers (chat, paging services) live anywhere.
 */
export function webhookCidr(url: string): string {
    const host = new URL(url).hostname;
    if (IPV4.test(host)) {
        return `${host}/32`;
    }
    return host.startsWith("[") ? `${host.slice(1, -1)}/128` : "0.0.0.0/0";
}

/** Alertmanager's egress to its receivers: one rule per destination, with exactly the ports the URLs there name. */
export function receiverEgress(webhookUrls: readonly string[]): Rule[] {
    const portsByCidr = new Map<string, Set<number>>();
    for (const url of webhookUrls) {
        const cidr = webhookCidr(url);
        portsByCidr.set(cidr, (portsByCidr.get(cidr) ?? new Set()).add(webhookPort(url)));
    }
    return [...portsByCidr.keys()].sort().map((cidr) => ({
        peers: [Peers.cidr(cidr)],
        ports: [...(portsByCidr.get(cidr) as Set<number>)].sort((x, y) => x - y),
    }));
}

/** Every policy of the namespace, keyed by workload. */
export function monitoringNetworkPolicies(a: ResolvedMonitoringArgs): Record<string, NetworkPolicySpec> {
    const dns = dnsEgress(a.dns);
    const apiServer: Rule = { peers: [Peers.cidr(a.nodeCidr)], ports: API_SERVER_PORTS };
    const fromPrometheus = (port: number): Rule => ({ peers: [Peers.workload(WORKLOADS.prometheus)], ports: [port] });
    const fromGrafana: Rule[] = a.grafana ? [{ peers: [Peers.workload(WORKLOADS.grafana)], ports: [PORTS.prometheus] }] : [];
    const toGrafana: Rule[] = a.grafana ? [{ peers: [Peers.workload(WORKLOADS.grafana)], ports: [PORTS.grafana] }] : [];
    const policies: Record<string, NetworkPolicySpec> = {
        [WORKLOADS.prometheus]: networkPolicySpec(WORKLOADS.prometheus, fromGrafana, [
            ...dns,
            { peers: [Peers.namespace(a.platformNamespace)], ports: [...a.platformMetricsPorts].sort((x, y) => x - y) },
            { peers: [Peers.workload(WORKLOADS.kubeStateMetrics)], ports: [PORTS.kubeStateMetrics] },
            { peers: [Peers.workload(WORKLOADS.alertmanager)], ports: [PORTS.alertmanager] },
            ...toGrafana,
            { peers: [Peers.cidr(a.nodeCidr)], ports: [...API_SERVER_PORTS, KUBELET_PORT] },
        ]),
        [WORKLOADS.kubeStateMetrics]: networkPolicySpec(
            WORKLOADS.kubeStateMetrics,
            [fromPrometheus(PORTS.kubeStateMetrics)],
            [...dns, apiServer],
        ),
        [WORKLOADS.alertmanager]: networkPolicySpec(
            WORKLOADS.alertmanager,
            [fromPrometheus(PORTS.alertmanager)],
            [...dns, ...receiverEgress(a.receivers.map((receiver) => receiver.webhookUrl))],
        ),
    };
    if (a.grafana) {
        // Users reach Grafana with kubectl port-forward, which enters the pod through the kubelet and is
        // not subject to NetworkPolicy; in-cluster, only Prometheus (scraping it) is admitted.
        policies[WORKLOADS.grafana] = networkPolicySpec(
            WORKLOADS.grafana,
            [fromPrometheus(PORTS.grafana)],
            [...dns, { peers: [Peers.workload(WORKLOADS.prometheus)], ports: [PORTS.prometheus] }],
        );
    }
    return policies;
}
