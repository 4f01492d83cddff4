// no-default-namespace, "Nothing in the default namespace": the rule's metadata and check.
import { CLUSTER_SCOPED_KINDS } from "../../lib/kubernetes";
import { resourceRule } from "../../lib/rule";
import { UNKNOWN } from "../../lib/values";

export const noDefaultNamespace = resourceRule<{ clusterScopedKinds: string[] }>(
    {
        name: "no-default-namespace",
        title: "Nothing in the default namespace",
        family: "namespace",
        severity: "medium",
        description:
            "Namespaced objects must name a namespace other than default (in metadata.namespace or through their provider); without " +
            "one they land in default, shared by everything and guarded by nothing.",
        remediation: "Set metadata.namespace to the application's namespace, or configure the Kubernetes provider's namespace.",
        config: {
            clusterScopedKinds: {
                type: "array",
                default: [],
                uniqueItems: true,
                items: { type: "string", minLength: 1 },
                description: "Cluster-scoped custom resource kinds, which have no namespace to set.",
            },
        },
    },
    {
        accepts: (api) => !CLUSTER_SCOPED_KINDS.has(api.kind),
        check({ api, namespace, config, report }) {
            if (config.clusterScopedKinds.includes(api.kind) || namespace === UNKNOWN) {
                return;
            }
            if (namespace === undefined) {
                report('sets no namespace and its provider sets none, so it lands in "default". Set metadata.namespace.');
            } else if (namespace === "default") {
                report('is in the "default" namespace. Move it to the application\'s own namespace.');
            }
        },
    },
);
