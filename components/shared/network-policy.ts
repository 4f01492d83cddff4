// Builds NetworkPolicy specs from the service graph: each workload admits exactly its callers and may
// reach exactly its dependencies, cluster DNS and nothing else.
import * as k8s from "@pulumi/kubernetes";
import { selectorLabels } from "./labels";
import { Edge, WorkloadName } from "./topology";

type NetworkPolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;
type IngressRule = k8s.types.input.networking.v1.NetworkPolicyIngressRule;
type EgressRule = k8s.types.input.networking.v1.NetworkPolicyEgressRule;

/** Where traffic from outside the namespace is admitted, and where cluster DNS lives. */
export interface NetworkContext {
    /** Namespace whose Prometheus scrapes metrics ports; undefined when monitoring is off. */
    monitoringNamespace?: string;
    /** Workloads reachable from outside the namespace (the gateway), on their main port. */
    publicWorkloads: readonly WorkloadName[];
    /** The cluster DNS namespace and pod labels. @default kube-system, k8s-app=kube-dns */
    dns?: { namespace: string; podLabels: Record<string, string> };
}

export const DEFAULT_DNS = { namespace: "kube-system", podLabels: { "k8s-app": "kube-dns" } };

const namespaceSelector = (name: string) => ({ matchLabels: { "kubernetes.io/metadata.name": name } });

/** A policy that selects every pod and allows nothing: the namespace's starting point. */
export function defaultDenySpec(): NetworkPolicySpec {
    return { podSelector: {}, policyTypes: ["Ingress", "Egress"] };
}

/** The ingress and egress a workload needs, read off the graph. */
export function workloadNetworkPolicySpec(
    workload: WorkloadName,
    edges: readonly Edge[],
    context: NetworkContext & { mainPort: number; metricsPort?: number },
): NetworkPolicySpec {
    const ingress: IngressRule[] = edges
        .filter((edge) => edge.to === workload)
        .map((edge) => ({
            from: [{ podSelector: { matchLabels: selectorLabels(edge.from) } }],
            ports: [{ protocol: "TCP", port: edge.port }],
        }));
    if (context.publicWorkloads.includes(workload)) {
        // No `from`: any source, inside or outside the cluster (load balancers, ingress controllers).
        ingress.push({ ports: [{ protocol: "TCP", port: context.mainPort }] });
    }
    if (context.monitoringNamespace && context.metricsPort !== undefined) {
        ingress.push({
            from: [{ namespaceSelector: namespaceSelector(context.monitoringNamespace) }],
            ports: [{ protocol: "TCP", port: context.metricsPort }],
        });
    }

    const dns = context.dns ?? DEFAULT_DNS;
    const egress: EgressRule[] = [
        {
            to: [{ namespaceSelector: namespaceSelector(dns.namespace), podSelector: { matchLabels: dns.podLabels } }],
            ports: [
                { protocol: "UDP", port: 53 },
                { protocol: "TCP", port: 53 },
            ],
        },
        ...edges
            .filter((edge) => edge.from === workload)
            .map((edge) => ({
                to: [{ podSelector: { matchLabels: selectorLabels(edge.to) } }],
                ports: [{ protocol: "TCP", port: edge.port }],
            })),
    ];

    return {
        podSelector: { matchLabels: selectorLabels(workload) },
        policyTypes: ["Ingress", "Egress"],
        ingress,
        egress,
    };
}
