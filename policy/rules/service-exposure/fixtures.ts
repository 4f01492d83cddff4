// service-exposure's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { service } from "../../fixtures/cluster";
import type { Cases } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.cluster-ip": { objects: [service("ClusterIP")] },
    "pass.load-balancer-exempted": {
        objects: [service("LoadBalancer")],
        config: { exemptions: [{ name: "public", reason: "The public entry point; fronted by the cloud WAF." }] },
    },
    "fail.load-balancer": {
        objects: [service("LoadBalancer")],
        reports: [
            "Service apps/public: is of type LoadBalancer, which exposes it outside the cluster. " +
                "Use ClusterIP behind an Ingress, or exempt it in the policy config with a reason.",
        ],
    },
    "fail.node-port": {
        objects: [service("NodePort")],
        reports: [
            "Service apps/public: is of type NodePort, which exposes it outside the cluster. " +
                "Use ClusterIP behind an Ingress, or exempt it in the policy config with a reason.",
        ],
    },
};
