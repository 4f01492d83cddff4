// Wiring only: the catalogue becomes a CrossGuard policy pack (`pulumi preview --policy-pack policy`).
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("kubernetes-guardrails", {
    description:
        "Pod Security Standards (v1.37), workload hygiene and stack-wide network, service and availability checks for Pulumi " +
        "Kubernetes programs.",
    enforcementLevel: "mandatory",
    policies,
});
