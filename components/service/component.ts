// The reusable stateless-service component: Deployment, Service, ServiceAccount and, where asked for,
// ConfigMap, HPA, PodDisruptionBudget, NetworkPolicy and VPA.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { commonLabels } from "../shared/labels";
import { configChecksum } from "../shared/workload";
import { migrationJobName, migrationJobSpec } from "./migration";
import {
    deploymentSpec,
    hpaSpec,
    minimumReplicas,
    pdbSpec,
    podTemplate,
    resolveServiceArgs,
    serviceSpec,
    type StatelessServiceArgs,
    vpaSpec,
} from "./spec";

export class StatelessService extends pulumi.ComponentResource {
    /** Name of the Kubernetes Service (and of every child object). */
    readonly serviceName: pulumi.Output<string>;
    /** In-cluster DNS name and port, e.g. auth.blog.svc.cluster.local:8080. */
    readonly address: pulumi.Output<string>;
    /** In-cluster base URL, e.g. http://auth.blog.svc.cluster.local:8080. */
    readonly url: pulumi.Output<string>;

    constructor(name: string, args: StatelessServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("blog:service:StatelessService", name, {}, opts);
        const resolved = resolveServiceArgs(args);
        const parent = { parent: this };
        const metadata = { name, namespace: args.namespace, labels: commonLabels(name, resolved.component) };

        new k8s.core.v1.ServiceAccount(`${name}-service-account`, { metadata, automountServiceAccountToken: false }, parent);

        let configMapName: pulumi.Output<string> | undefined;
        let checksum: pulumi.Output<string> | undefined;
        if (resolved.configFiles.length > 0) {
            const data = pulumi
                .all(resolved.configFiles.map((file) => pulumi.all([file.name, file.content])))
                .apply((entries) => Object.fromEntries(entries));
            const configMap = new k8s.core.v1.ConfigMap(
                `${name}-config`,
                { metadata: { ...metadata, name: `${name}-config` }, data },
                parent,
            );
            configMapName = configMap.metadata.name;
            checksum = data.apply(configChecksum);
        }

        const migrated: pulumi.Resource[] = [];
        if (resolved.migration) {
            const m = resolved.migration;
            const migrationMetadata = { namespace: args.namespace, labels: commonLabels(m.workload, "migration") };
            if (m.networkPolicy) {
                migrated.push(
                    new k8s.networking.v1.NetworkPolicy(
                        `${m.workload}-network-policy`,
                        { metadata: { ...migrationMetadata, name: m.workload }, spec: m.networkPolicy },
                        parent,
                    ),
                );
            }
            // The provider waits for the Job to complete, so the Deployment below rolls only onto a
            // migrated schema. A Job's template is immutable: any other change replaces it, and
            // deleteBeforeReplace frees its name first.
            migrated.push(
                new k8s.batch.v1.Job(
                    `${m.workload}-job`,
                    {
                        metadata: { ...migrationMetadata, name: migrationJobName(m.workload, args.image) },
                        spec: migrationJobSpec({
                            workload: m.workload,
                            image: args.image,
                            env: m.env,
                            resources: resolved.resources,
                            uid: resolved.runAsUser,
                        }),
                    },
                    { parent: this, dependsOn: [...migrated], deleteBeforeReplace: true },
                ),
            );
        }

        const deployment = new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            {
                metadata,
                spec: deploymentSpec(name, resolved, podTemplate(name, resolved, configMapName, checksum)),
            },
            { parent: this, dependsOn: migrated, ignoreChanges: resolved.autoscaling ? ["spec.replicas"] : undefined },
        );

        const service = new k8s.core.v1.Service(`${name}-service`, { metadata, spec: serviceSpec(name, resolved) }, parent);

        if (resolved.autoscaling) {
            new k8s.autoscaling.v2.HorizontalPodAutoscaler(
                `${name}-hpa`,
                { metadata, spec: hpaSpec(name, resolved.autoscaling) },
                { parent: this, dependsOn: [deployment] },
            );
        }
        if (minimumReplicas(resolved) >= 2) {
            new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, { metadata, spec: pdbSpec(name) }, parent);
        }
        if (resolved.networkPolicy) {
            new k8s.networking.v1.NetworkPolicy(`${name}-network-policy`, { metadata, spec: resolved.networkPolicy }, parent);
        }
        if (resolved.verticalPodAutoscaling) {
            new k8s.apiextensions.CustomResource(
                `${name}-vpa`,
                {
                    apiVersion: "autoscaling.k8s.io/v1",
                    kind: "VerticalPodAutoscaler",
                    metadata,
                    spec: vpaSpec(name),
                },
                { parent: this, dependsOn: [deployment] },
            );
        }

        this.serviceName = service.metadata.name;
        this.address = pulumi.interpolate`${service.metadata.name}.${service.metadata.namespace}.svc.cluster.local:${resolved.port}`;
        this.url = pulumi.interpolate`http://${this.address}`;
        this.registerOutputs({ serviceName: this.serviceName, address: this.address, url: this.url });
    }
}
