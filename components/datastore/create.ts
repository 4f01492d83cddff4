// Creates a data store's Kubernetes objects from its spec, with the protection its data needs.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { commonLabels } from "../shared/labels";
import { headlessServiceSpec } from "../shared/workload";
import { type StatefulStoreSpecArgs, statefulStoreSpec } from "./spec";

export interface StatefulStoreOptions {
    namespace: pulumi.Input<string>;
    networkPolicy?: k8s.types.input.networking.v1.NetworkPolicySpec;
    /**
     * protect: an update or destroy that would delete or replace the StatefulSet fails instead.
     * retainOnDelete: even after an explicit unprotect, deleting it from Pulumi leaves it in the cluster.
     */
    dataProtection: boolean;
}

/** The headless Service, StatefulSet and NetworkPolicy of one store; returns its in-cluster host name. */
export function createStatefulStore(
    spec: StatefulStoreSpecArgs,
    options: StatefulStoreOptions,
    parent: pulumi.ComponentResource,
    dependsOn: pulumi.Resource[],
): pulumi.Output<string> {
    const metadata = { name: spec.name, namespace: options.namespace, labels: commonLabels(spec.name, "datastore") };
    const service = new k8s.core.v1.Service(
        `${spec.name}-service`,
        { metadata, spec: headlessServiceSpec(spec.name, { tcp: spec.port }) },
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
    return pulumi.interpolate`${service.metadata.name}.${service.metadata.namespace}.svc.cluster.local`;
}
