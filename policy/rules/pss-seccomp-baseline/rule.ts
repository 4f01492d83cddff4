// pss-seccomp-baseline, "Seccomp (baseline)": the rule's metadata and check.
import { baseline, reportProfileTypes, profileTypeAllowed } from "../../lib/pod-security";
import { containersOf, type PodView } from "../../lib/pod-spec";
import { minorOf } from "../../lib/pss-checks";
import { podSpecRule } from "../../lib/rule";
import { at, show, UNKNOWN } from "../../lib/values";

export const seccompBaseline = podSpecRule(
    baseline({
        name: "pss-seccomp-baseline",
        pssCheck: "seccompProfile_baseline",
        title: "Seccomp (baseline)",
        severity: "high",
        description:
            "Pods and containers that set a seccomp profile must use RuntimeDefault or Localhost, never Unconfined (before v1.19: " +
            "the seccomp annotations). Under the restricted profile pss-seccomp-restricted reports instead.",
        remediation: "Set securityContext.seccompProfile.type to RuntimeDefault (or Localhost) instead of Unconfined.",
    }),
    {
        check({ pod, config, report }) {
            if (minorOf(config.version) < 19) {
                seccompAnnotations(pod, report);
                return;
            }
            reportProfileTypes(pod, "seccompProfile", profileTypeAllowed, report);
        },
    },
);

const SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";

const SECCOMP_CONTAINER_ANNOTATION_PREFIX = "container.seccomp.security.alpha.kubernetes.io/";

/** Before v1.19 the check read the alpha seccomp annotations (pod, and per container by name). */
function seccompAnnotations(pod: PodView, report: (message: string) => void): void {
    const allowed = (value: unknown) =>
        value === UNKNOWN ||
        value === "runtime/default" ||
        value === "docker/default" ||
        (typeof value === "string" && value.startsWith("localhost/"));
    const keys = [SECCOMP_POD_ANNOTATION, ...containersOf(pod.spec).map((c) => SECCOMP_CONTAINER_ANNOTATION_PREFIX + c.name)];
    const annotations = at(pod.metadata, "annotations");
    const bad = keys.filter((key) => {
        const value = at(annotations, key);
        return value !== undefined && !allowed(value);
    });
    if (bad.length > 0) {
        report(
            `the annotations ${bad.map((key) => `${key}=${show(at(annotations, key))}`).join(", ")} disable seccomp. Use ` +
                "runtime/default or localhost/<profile>.",
        );
    }
}
