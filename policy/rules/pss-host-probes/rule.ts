// pss-host-probes, "Probe and lifecycle hosts": the rule's metadata and check.
import { baseline } from "../../lib/pod-security";
import { containersOf, describeContainer } from "../../lib/pod-spec";
import { podSpecRule } from "../../lib/rule";
import { at, text } from "../../lib/values";

const PROBES = ["livenessProbe", "readinessProbe", "startupProbe"];

const LIFECYCLE_HANDLERS = ["postStart", "preStop"];

export const hostProbes = podSpecRule(
    baseline({
        name: "pss-host-probes",
        pssCheck: "hostProbesAndHostLifecycle",
        title: "Probe and lifecycle hosts",
        severity: "medium",
        description:
            "Probes and lifecycle handlers must not set a host, which would let the kubelet send requests to other hosts on the " +
            "pod's behalf (a Pod Security check since v1.34).",
        remediation: "Remove the host field from httpGet and tcpSocket probes and lifecycle handlers; they then target the pod itself.",
    }),
    {
        check({ pod, report }) {
            for (const container of containersOf(pod.spec)) {
                const handlers = [
                    ...PROBES.map((probe) => [probe, at(container.value, probe)] as const),
                    ...LIFECYCLE_HANDLERS.map((hook) => [`lifecycle.${hook}`, at(container.value, "lifecycle", hook)] as const),
                ];
                const hosts: string[] = [];
                for (const [where, handler] of handlers) {
                    for (const action of ["httpGet", "tcpSocket"]) {
                        const host = text(at(handler, action, "host"));
                        if (typeof host === "string" && host !== "") {
                            hosts.push(`${where}.${action}.host="${host}"`);
                        }
                    }
                }
                if (hosts.length > 0) {
                    report(
                        `${describeContainer(container)} sets ${hosts.join(", ")}. Remove the host field so the kubelet probes the ` +
                            "pod itself.",
                    );
                }
            }
        },
    },
);
