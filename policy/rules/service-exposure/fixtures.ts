// service-exposure's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { service } from "../../fixtures/cluster";
import type { Cases } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.cluster-ip": { objects: [service("ClusterIP")] },
    "pass.load-balancer-exempted": {
        objects: [service("LoadBalancer")],
        config: { exemptions: [{ name: "public", reason: "The public entry point; fronted by the cloud WAF." }] },
    },
    "fail.load-balancer": { objects: [service("LoadBalancer")] },
    "fail.node-port": { objects: [service("NodePort")] },
};
