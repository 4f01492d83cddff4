// Wiring only: load config → provider → platform → monitoring → stack outputs.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { monitoringArgs, MonitoringStack } from "./components/monitoring";
import { BlogPlatform } from "./components/platform";
import { loadConfig } from "./config";

const cfg = loadConfig();

// The one provider every Kubernetes object goes through; the target cluster is stack config.
const provider = new k8s.Provider("cluster", {
    kubeconfig: cfg.cluster.kubeconfig,
    context: cfg.cluster.context,
});

const platform = new BlogPlatform("blog", cfg, { providers: { kubernetes: provider } });

const monitoring = cfg.monitoring.enabled
    ? new MonitoringStack("monitoring", monitoringArgs(cfg, platform.metricsPorts), { providers: { kubernetes: provider } })
    : undefined;

export const environment = cfg.environment;
export const namespace = platform.namespace;
export const gatewayEndpoint = pulumi.interpolate`http://${platform.gatewayAddress}`;
export const serviceAddresses = platform.serviceAddresses;
export const portForward = pulumi.interpolate`kubectl --namespace ${platform.namespace} port-forward service/${platform.gatewayServiceName} 8080:8080`;
export const publicUrl = cfg.gateway.exposure === "Ingress" ? `https://${cfg.gateway.domain}` : undefined;
export const databaseUrl = platform.databaseUrl;
export const redisUrl = platform.redisUrl;
export const grafanaPortForward = monitoring?.grafanaPortForward;
export const grafanaAdminPassword = monitoring?.grafanaAdminPassword;
