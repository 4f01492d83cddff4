// pss-host-ports, "Host ports": the rule's metadata and check.
import { baseline } from "../../lib/pod-security";
import { containersOf, describeContainer } from "../../lib/pod-spec";
import { podSpecRule } from "../../lib/rule";
import { at, items, UNKNOWN } from "../../lib/values";

export const hostPorts = podSpecRule(
    baseline({
        name: "pss-host-ports",
        pssCheck: "hostPorts",
        title: "Host ports",
        severity: "high",
        description:
            "Containers must not bind ports on the node (hostPort, which a host-networked Pod's container ports become), which " +
            "bypasses network policy and limits scheduling.",
        remediation: "Remove hostPort from the container ports (or set it to 0) and expose the port through a Service.",
    }),
    {
        check({ kind, pod, report }) {
            // The API server gives a host-networked Pod (not a pod template) hostPort = containerPort.
            const hostNetworkPod = kind === "Pod" && at(pod.spec, "hostNetwork") === true;
            for (const container of containersOf(pod.spec)) {
                const ports = items(at(container.value, "ports"));
                if (ports === UNKNOWN) {
                    continue;
                }
                const defaulted = hostNetworkPod && container.group !== "ephemeralContainers";
                const bound = ports
                    .map((p) => {
                        const hostPort = at(p, "hostPort");
                        return defaulted && (hostPort === undefined || hostPort === null || hostPort === 0)
                            ? at(p, "containerPort")
                            : hostPort;
                    })
                    .filter((port) => typeof port === "number" && port !== 0);
                if (bound.length > 0) {
                    report(
                        `${describeContainer(container)} binds host ports ${bound.join(", ")}. Remove hostPort and expose the port ` +
                            "through a Service.",
                    );
                }
            }
        },
    },
);
