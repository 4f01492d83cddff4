// The preview benchmark's baseline: the smallest real program, one Deployment through one explicit
// provider, set up like the platform's (rendering to a directory when the benchmark runs without a cluster).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

const provider = new k8s.Provider("cluster", { renderYamlToDirectory: new pulumi.Config().get("renderYamlToDirectory") });
const labels = { app: "bench-one" };
new k8s.apps.v1.Deployment(
    "web",
    {
        metadata: { name: "bench-one", namespace: "default" },
        spec: {
            replicas: 1,
            selector: { matchLabels: labels },
            template: {
                metadata: { labels },
                spec: { containers: [{ name: "web", image: "docker.io/nginxinc/nginx-unprivileged:1.27.3-alpine" }] },
            },
        },
    },
    { provider },
);
