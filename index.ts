// Wiring only: load config → provider → the stack (platform and monitoring) → stack outputs.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "./config";
import { buildStack } from "./stack";

const cfg = loadConfig();

// The one provider every Kubernetes object goes through; the target cluster is stack config.
// Secrets are updated in place rather than replaced: a rotation then never deletes a protected Secret
// (prod's database credentials), and the pods that read one roll on their secrets-checksum annotation.
const provider = new k8s.Provider("cluster", {
    kubeconfig: cfg.cluster.kubeconfig,
    context: cfg.cluster.context,
    enableSecretMutable: true,
});

const { platform, monitoring } = buildStack(cfg, { providers: { kubernetes: provider } });

export const environment = cfg.environment;
export const namespace = platform.namespace;
export const gatewayEndpoint = pulumi.interpolate`http://${platform.gatewayAddress}`;
export const serviceAddresses = platform.serviceAddresses;
const gatewayService = platform.gatewayServiceName;
export const portForward = pulumi.interpolate`kubectl --namespace ${platform.namespace} port-forward service/${gatewayService} 8080:8080`;
export const publicUrl = cfg.gateway.exposure === "Ingress" ? `https://${cfg.gateway.domain}` : undefined;
export const databaseUrl = platform.databaseUrl;
export const redisUrl = platform.redisUrl;
export const grafanaPortForward = monitoring?.grafanaPortForward;
export const grafanaAdminPassword = monitoring?.grafanaAdminPassword;
