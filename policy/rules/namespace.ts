// Namespaces: nothing lands in `default`, and every namespace the stack declares enforces a Pod Security
// Standard through Pod Security Admission labels.
import { CLUSTER_SCOPED_KINDS } from "../lib/kubernetes";
import { resourceRule, type Rule, stackRule } from "../lib/rule";
import { at, UNKNOWN } from "../lib/values";
import { ofKind } from "../lib/workloads";

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

const LEVELS = ["privileged", "baseline", "restricted"];
const ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";

export const namespacePodSecurity = stackRule<{ level: string }>(
    {
        name: "namespace-pod-security",
        title: "Pod Security Admission labels",
        family: "namespace",
        severity: "high",
        description:
            "Every Namespace the stack declares must carry the pod-security.kubernetes.io/enforce label at the configured level or " +
            "stricter, so the cluster itself rejects pods that break it.",
        remediation: "Label the namespace pod-security.kubernetes.io/enforce: restricted (and the matching audit and warn labels).",
        config: {
            level: {
                type: "string",
                enum: ["baseline", "restricted"],
                default: "restricted",
                description: "The least strict enforce level accepted.",
            },
        },
    },
    {
        check({ objects, config, report }) {
            for (const namespace of ofKind(objects, "Namespace")) {
                const level = at(namespace.props, "metadata", "labels", ENFORCE_LABEL);
                if (level === UNKNOWN) {
                    continue;
                }
                if (typeof level !== "string") {
                    report(
                        namespace,
                        `has no ${ENFORCE_LABEL} label, so admission enforces nothing. Label it ${ENFORCE_LABEL}: ${config.level}.`,
                    );
                } else if (LEVELS.indexOf(level) < LEVELS.indexOf(config.level)) {
                    report(namespace, `enforces "${level}", below the required "${config.level}". Set ${ENFORCE_LABEL}: ${config.level}.`);
                }
            }
        },
    },
);

export const NAMESPACE_RULES: readonly Rule[] = [noDefaultNamespace, namespacePodSecurity];
