// pss-selinux, "SELinux options": the rule's metadata and check.
import { baseline } from "../../lib/pod-security";
import { containerSecurity, containersOf, describeContainer, podSecurity } from "../../lib/pod-spec";
import { minorOf } from "../../lib/pss-checks";
import { podSpecRule } from "../../lib/rule";
import { at, text, UNKNOWN } from "../../lib/values";

/** SELinux types the baseline profile allows; container_engine_t since v1.31. */
export const ALLOWED_SELINUX_TYPES: ReadonlySet<string> = new Set([
    "",
    "container_t",
    "container_init_t",
    "container_kvm_t",
    "container_engine_t",
]);

const SELINUX_TYPES_BEFORE_1_31: ReadonlySet<string> = new Set(["", "container_t", "container_init_t", "container_kvm_t"]);

function seLinuxProblems(options: unknown, allowedTypes: ReadonlySet<string>): string[] {
    if (options === undefined || options === null || options === UNKNOWN) {
        return [];
    }
    const problems: string[] = [];
    const type = text(at(options, "type"));
    if (typeof type === "string" && !allowedTypes.has(type)) {
        problems.push(`type "${type}"`);
    }
    for (const field of ["user", "role"]) {
        const value = text(at(options, field));
        if (typeof value === "string" && value !== "") {
            problems.push(`${field} "${value}"`);
        }
    }
    return problems;
}

export const seLinux = podSpecRule(
    baseline({
        name: "pss-selinux",
        pssCheck: "seLinuxOptions",
        title: "SELinux options",
        severity: "high",
        description:
            "Pods must not set a custom SELinux user or role, and may set only the container_t, container_init_t, container_kvm_t or " +
            "container_engine_t type.",
        remediation: "Remove seLinuxOptions.user and seLinuxOptions.role, and remove seLinuxOptions.type or use an allowed container type.",
    }),
    {
        check({ pod, config, report }) {
            const allowed = minorOf(config.version) >= 31 ? ALLOWED_SELINUX_TYPES : SELINUX_TYPES_BEFORE_1_31;
            const atPod = seLinuxProblems(podSecurity(pod.spec, "seLinuxOptions"), allowed);
            if (atPod.length > 0) {
                report(
                    `the pod sets forbidden securityContext.seLinuxOptions (${atPod.join(", ")}). Remove user and role; use an ` +
                        "allowed container type.",
                );
            }
            for (const container of containersOf(pod.spec)) {
                const problems = seLinuxProblems(containerSecurity(container, "seLinuxOptions"), allowed);
                if (problems.length > 0) {
                    report(
                        `${describeContainer(container)} sets forbidden securityContext.seLinuxOptions (${problems.join(", ")}). ` +
                            "Remove user and role; use an allowed container type.",
                    );
                }
            }
        },
    },
);
