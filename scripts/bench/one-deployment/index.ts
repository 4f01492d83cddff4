// The preview benchmark's baseline: the smallest real program, one Deployment through the same provider.
import * as k8s from "@pulumi/kubernetes";

const labels = { app: "bench-one" };
new k8s.apps.v1.Deployment("web", {
    metadata: { name: "bench-one", namespace: "default" },
    spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
            metadata: { labels },
            spec: { containers: [{ name: "web", image: "docker.io/nginxinc/nginx-unprivileged:1.27.3-alpine" }] },
        },
    },
});
