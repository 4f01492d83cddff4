// service-exposure, "No LoadBalancer or NodePort Services": the rule's metadata and check.
import { resourceRule } from "../../lib/rule";
import { at, text } from "../../lib/values";

export const serviceExposure = resourceRule(
    {
        name: "service-exposure",
        title: "No LoadBalancer or NodePort Services",
        family: "network",
        severity: "high",
        description:
            "Services must not be of type LoadBalancer or NodePort, which expose pods outside the cluster, unless this policy's " +
            "exemptions allow the Service by name with a reason.",
        remediation:
            "Use a ClusterIP Service behind an Ingress or Gateway, or add the Service to this policy's exemptions with the reason it " +
            "must be exposed.",
    },
    {
        accepts: (api) => api.kind === "Service",
        check({ props, report }) {
            const type = text(at(props, "spec", "type"));
            if (type === "LoadBalancer" || type === "NodePort") {
                report(
                    `is of type ${type}, which exposes it outside the cluster. Use ClusterIP behind an Ingress, or exempt it in the ` +
                        "policy config with a reason.",
                );
            }
        },
    },
);
