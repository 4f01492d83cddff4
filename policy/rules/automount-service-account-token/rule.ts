// automount-service-account-token, "Service-account token automount": the rule's metadata and check, and its remediation.
import { carriesPod, podView } from "../../lib/pod-spec";
import { type Patch, resourceRule } from "../../lib/rule";
import { at, isKnown } from "../../lib/values";

/** Where the automount switch of an object sits: the pod spec, or the ServiceAccount's top level. */
function automountSwitch(kind: string, props: unknown): { path: readonly string[]; owner: string } | undefined {
    if (kind === "ServiceAccount") {
        return { path: [], owner: "the ServiceAccount" };
    }
    const pod = podView(kind, props);
    return pod && isKnown(pod.spec) ? { path: pod.specPath, owner: "the pod spec" } : undefined;
}

export const automountServiceAccountToken = resourceRule(
    {
        name: "automount-service-account-token",
        title: "Service-account token automount",
        family: "workload",
        severity: "medium",
        description:
            "Pods and ServiceAccounts must not mount the API token by default: automountServiceAccountToken must be false, or true " +
            "as an explicit opt-in where a workload calls the Kubernetes API.",
        remediation:
            "Set automountServiceAccountToken: false on the pod spec and on the ServiceAccount; set it to true only where the " +
            "workload talks to the Kubernetes API.",
    },
    {
        accepts: (api) => api.kind === "ServiceAccount" || carriesPod(api.kind),
        check({ api, props, report }) {
            const found = automountSwitch(api.kind, props);
            if (found && at(props, ...found.path, "automountServiceAccountToken") === undefined) {
                report(
                    `${found.owner} does not set automountServiceAccountToken, so the API token is mounted. Set it to false (or true ` +
                        "to opt in).",
                );
            }
        },
        remediate({ api, props }): Patch[] {
            const found = automountSwitch(api.kind, props);
            return found && at(props, ...found.path, "automountServiceAccountToken") === undefined
                ? [{ path: [...found.path, "automountServiceAccountToken"], value: false }]
                : [];
        },
    },
);
