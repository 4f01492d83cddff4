// Creates a data store's Kubernetes objects from its spec, with the protection its data needs.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { commonLabels } from "../shared/labels";
import { clusterIpServiceSpec, headlessServiceSpec } from "../shared/workload";
import { type StatefulStoreSpecArgs, statefulStoreSpec } from "./spec";

export interface StatefulStoreOptions {
    /** Namespace to deploy into. */
    namespace: pulumi.Input<string>;
    /** NetworkPolicy of the store's pods; none when undefined (the namespace's default deny still applies). */
    networkPolicy?: k8s.types.input.networking.v1.NetworkPolicySpec;
    /**
     * protect: an update or destroy that would delete or replace the StatefulSet fails instead.
     * retainOnDelete: even after an explicit unprotect, deleting it from Pulumi leaves it in the cluster.
     */
    dataProtection: boolean;
}

/**
 * The name of the Service a store's clients connect through: a virtual IP, read-write, like CloudNativePG's
 * `<cluster>-rw`. The store's own name stays with the StatefulSet's governing (headless) Service.
 */
export function clientServiceName(store: string): string {
    return `${store}-rw`;
}

/** The store's two Services, StatefulSet and NetworkPolicy; returns the host name its clients connect to. */
export function createStatefulStore(
    spec: StatefulStoreSpecArgs,
    options: StatefulStoreOptions,
    parent: pulumi.ComponentResource,
    dependsOn: pulumi.Resource[],
): pulumi.Output<string> {
    const metadata = { name: spec.name, namespace: options.namespace, labels: commonLabels(spec.name, "datastore") };
    const ports = { tcp: spec.port };
    // Headless: gives each pod a stable DNS name (postgres-0.postgres); the StatefulSet requires it.
    const service = new k8s.core.v1.Service(`${spec.name}-service`, { metadata, spec: headlessServiceSpec(spec.name, ports) }, { parent });
    // Clients connect through a virtual IP instead. A headless name has no address while the pod is not
    // Ready, and CoreDNS caches that answer (5 s), so after a restart every client kept failing its DNS
    // lookups for seconds after the store was back (measured: 500s for up to 4.5 s after Postgres was Ready).
    // A ClusterIP name always resolves, and the address gets its endpoint as soon as the pod is Ready.
    const clients = new k8s.core.v1.Service(
        `${spec.name}-client-service`,
        { metadata: { ...metadata, name: clientServiceName(spec.name) }, spec: clusterIpServiceSpec(spec.name, ports) },
        { parent },
    );
    new k8s.apps.v1.StatefulSet(
        `${spec.name}-statefulset`,
        { metadata, spec: statefulStoreSpec(spec) },
        {
            parent,
            dependsOn: [service, ...dependsOn],
            protect: options.dataProtection,
            retainOnDelete: options.dataProtection,
        },
    );
    if (options.networkPolicy) {
        new k8s.networking.v1.NetworkPolicy(`${spec.name}-network-policy`, { metadata, spec: options.networkPolicy }, { parent });
    }
    return pulumi.interpolate`${clients.metadata.name}.${clients.metadata.namespace}.svc.cluster.local`;
}
