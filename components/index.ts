// The components as a package: the reusable pieces an adopter composes into a program of their own, with
// the types their args need. The platform's own code keeps importing the modules directly.

// Labelling: how every component labels, selects and annotates (setLabelling before the first component).
export {
    annotationKey,
    commonLabels,
    DEFAULT_LABELLING,
    type Labelling,
    labelling,
    labellingProblems,
    namespaceLabels,
    selectorLabels,
    setLabelling,
} from "./shared/labels";

// Stateless services: Deployment, Service, ServiceAccount, and HPA, PDB, NetworkPolicy, VPA where asked for.
export { StatelessService } from "./service/component";
export { type ConfigFile, DEFAULT_PROBES, type StatelessServiceArgs } from "./service/spec";

// The namespace: restricted Pod Security Admission, a quota sized from the workloads, limits, default deny.
export { PlatformNamespace, type PlatformNamespaceArgs } from "./namespace/component";
export { type PodSecurityLevel, podSecurityLabels } from "./namespace/spec";

// Generated credentials in a Secret, rotated by a keeper.
export { createGeneratedSecret, type GeneratedSecretArgs, type GeneratedSecretResult } from "./shared/generated-secret";

// Data stores.
export { Postgres, type PostgresArgs, POSTGRES_PORT } from "./postgres/component";
export type { PostgresBackupArgs } from "./postgres/backup";
export { Redis, type RedisArgs, REDIS_PORT } from "./redis/component";
export { clientServiceName, type StatefulStoreOptions } from "./datastore/create";

// Monitoring: Prometheus, kube-state-metrics, Alertmanager, Grafana.
export { MonitoringStack } from "./monitoring/component";
export type { MonitoringStackArgs } from "./monitoring/spec";
export type { AlertReceiver } from "./monitoring/alertmanager-config";
export type { AlertThresholds } from "./monitoring/rules";
export { MONITORING_DEFAULTS, IMAGES as MONITORING_IMAGES } from "./monitoring/defaults";

// What the args are built from: resources, quota budgets, containers, probes, scratch space, NetworkPolicies.
export { type PodBudget, type ResourceSpec, quotaFor, resourceSpec } from "./shared/resources";
export {
    type BuiltContainer,
    configChecksum,
    configChecksumAnnotation,
    type ContainerArgs,
    hardenedContainer,
    Probe,
    type ProbeTiming,
    type Scratch,
    scrapeAnnotations,
    secretEnv,
    secretsChecksumAnnotation,
    TMP,
} from "./shared/workload";
export { DEFAULT_DNS, type DnsLocation, defaultDenySpec, dnsEgress, networkPolicySpec, Peers, type Rule } from "./shared/network-policy";
export { ADMIN_PATHS, ADMIN_PORT } from "./shared/topology";
