// namespace-pod-security, "Pod Security Admission labels": the rule's metadata and check.
import { stackRule } from "../../lib/rule";
import { at, UNKNOWN } from "../../lib/values";
import { ofKind } from "../../lib/workloads";

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
