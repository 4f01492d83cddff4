// The broken stack's objects as plain data, so the policy tests can check them without the CLI.
import type * as k8s from "@pulumi/kubernetes";

/** A privileged, root, host-networked Pod with a floating image, in no namespace (so `default`). */
export const privilegedPod: k8s.types.input.core.v1.Pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "broken", labels: { app: "broken" } },
    spec: {
        hostNetwork: true,
        containers: [
            {
                name: "shell",
                image: "busybox:latest",
                command: ["sleep", "infinity"],
                securityContext: { privileged: true, runAsUser: 0 },
                env: [{ name: "DB_PASSWORD", value: "hunter2" }],
                volumeMounts: [{ name: "host", mountPath: "/host" }],
            },
        ],
        volumes: [{ name: "host", hostPath: { path: "/" } }],
    },
};

/** A LoadBalancer Service in `default` whose selector matches no pod. */
export const exposedService: k8s.types.input.core.v1.Service = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "broken", namespace: "default" },
    spec: { type: "LoadBalancer", selector: { app: "nothing" }, ports: [{ port: 80 }] },
};

/** Policies a preview of this program must report (mandatory, and ephemeral-storage: advisory by default, mandatory in prod). */
export const EXPECTED_VIOLATIONS = [
    "automount-service-account-token",
    "container-resources",
    "ephemeral-storage",
    "health-probes",
    "image-pinned",
    "network-default-deny",
    "network-policy-coverage",
    "no-default-namespace",
    "no-plaintext-secrets",
    "pss-allow-privilege-escalation",
    "pss-capabilities-restricted",
    "pss-host-namespaces",
    "pss-privileged",
    "pss-run-as-non-root",
    "pss-run-as-user",
    "pss-seccomp-restricted",
    "pss-volume-types",
    "read-only-root-filesystem",
    "service-exposure",
    "service-selector",
];
