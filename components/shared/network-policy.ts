// NetworkPolicy specs as allowFrom / allowTo between workloads, namespaces and CIDRs, and the platform's
// policies read off the service graph: each workload admits exactly its callers and may reach exactly
// its dependencies, cluster DNS and nothing else.
import type * as k8s from "@pulumi/kubernetes";
import { selectorLabels } from "./labels";
import type { Edge, WorkloadName } from "./topology";

type NetworkPolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;
type Peer = k8s.types.input.networking.v1.NetworkPolicyPeer;

/** One rule: these peers on these ports. No peers means any source or destination. */
export interface Rule {
    peers?: Peer[];
    ports: readonly number[];
    /** @default "TCP" */
    protocol?: "TCP" | "UDP";
}

/** The cluster DNS namespace and pod labels. */
export interface DnsLocation {
    namespace: string;
    podLabels: Record<string, string>;
}
export const DEFAULT_DNS: DnsLocation = { namespace: "kube-system", podLabels: { "k8s-app": "kube-dns" } };

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

/** Name lookups over UDP and TCP (large answers fall back to TCP). */
export function dnsEgress(dns: DnsLocation = DEFAULT_DNS): Rule[] {
    const peers = [Peers.podsIn(dns.namespace, dns.podLabels)];
    return [
        { peers, ports: [53], protocol: "UDP" },
        { peers, ports: [53], protocol: "TCP" },
    ];
}

/** The policy of one workload's pods: exactly these ingress and egress rules. */
export function networkPolicySpec(workload: string, ingress: readonly Rule[], egress: readonly Rule[]): NetworkPolicySpec {
    const ports = (rule: Rule) => rule.ports.map((port) => ({ protocol: rule.protocol ?? "TCP", port }));
    return {
        podSelector: { matchLabels: selectorLabels(workload) },
        policyTypes: ["Ingress", "Egress"],
        ingress: ingress.map((rule) => ({ from: rule.peers, ports: ports(rule) })),
        egress: egress.map((rule) => ({ to: rule.peers, ports: ports(rule) })),
    };
}

/** A policy that selects every pod and allows nothing: the namespace's starting point. */
export function defaultDenySpec(): NetworkPolicySpec {
    return { podSelector: {}, policyTypes: ["Ingress", "Egress"] };
}

/** Where traffic from outside the namespace is admitted, and where cluster DNS lives. */
export interface NetworkContext {
    /** Namespace whose Prometheus scrapes metrics ports; undefined when nothing scrapes. */
    monitoringNamespace?: string;
    /** Workloads reachable from outside the namespace (the gateway), on their main port. */
    publicWorkloads: readonly WorkloadName[];
    /** @default DEFAULT_DNS */
    dns?: DnsLocation;
}

/** The ingress and egress a workload needs, read off the graph. */
export function workloadNetworkPolicySpec(
    workload: Edge["from"],
    edges: readonly Edge[],
    context: NetworkContext & { mainPort?: number; metricsPort?: number },
): NetworkPolicySpec {
    const ingress: Rule[] = edges
        .filter((edge) => edge.to === workload)
        .map((edge) => ({ peers: [Peers.workload(edge.from)], ports: [edge.port] }));
    if (context.mainPort !== undefined && (context.publicWorkloads as readonly string[]).includes(workload)) {
        // No peers: any source, inside or outside the cluster (load balancers, ingress controllers).
        ingress.push({ ports: [context.mainPort] });
    }
    if (context.monitoringNamespace && context.metricsPort !== undefined) {
        ingress.push({ peers: [Peers.namespace(context.monitoringNamespace)], ports: [context.metricsPort] });
    }
    const egress: Rule[] = [
        ...dnsEgress(context.dns),
        ...edges.filter((edge) => edge.from === workload).map((edge) => ({ peers: [Peers.workload(edge.to)], ports: [edge.port] })),
    ];
    return networkPolicySpec(workload, ingress, egress);
}
