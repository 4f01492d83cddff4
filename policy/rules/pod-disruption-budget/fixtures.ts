// pod-disruption-budget's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { type K8sObject, wrapPod, compliantPodSpec, stack, find, APP_LABELS, NAMESPACE, type Cases } from "../../fixtures/fixture";
import { hpaOwned } from "../../fixtures/cluster";

/** A replicated workload of a kind with its own labels. */
function replicated(kind: string, name: string, replicas: number): K8sObject {
    const labels = { "app.kubernetes.io/name": name };
    const object = wrapPod(kind, { metadata: { labels }, spec: compliantPodSpec() }, name);
    return { ...object, spec: { ...object.spec, replicas } };
}

export const cases: Cases = {
    "pass.budget-allows-one": stack(),
    "pass.single-replica-needs-none": stack(
        (o) => {
            o.splice(o.indexOf(find(o, "PodDisruptionBudget")), 1);
        },
        {},
        1,
    ),
    "pass.hpa-owned-with-budget": stack((o) => hpaOwned(o, 3)),
    "fail.no-budget": stack((o) => {
        o.splice(o.indexOf(find(o, "PodDisruptionBudget")), 1);
    }),
    "fail.hpa-min-two-without-budget": stack((o) => {
        hpaOwned(o, 2);
        o.splice(o.indexOf(find(o, "PodDisruptionBudget")), 1);
    }),
    "fail.budget-allows-no-eviction": stack((o) => {
        find(o, "PodDisruptionBudget").spec = { minAvailable: "100%", selector: { matchLabels: APP_LABELS } };
    }),
    "fail.two-budgets": stack((o) => {
        o.push({ ...find(o, "PodDisruptionBudget"), metadata: { name: "second", namespace: NAMESPACE } });
    }),
    "fail.replica-set-without-budget": stack((o) => {
        o.push(replicated("ReplicaSet", "workers", 3));
    }),
    "fail.replication-controller-without-budget": stack((o) => {
        o.push(replicated("ReplicationController", "legacy", 2));
    }),
    "pass.replica-set-with-budget": stack((o) => {
        o.push(replicated("ReplicaSet", "workers", 3), {
            apiVersion: "policy/v1",
            kind: "PodDisruptionBudget",
            metadata: { name: "workers", namespace: NAMESPACE },
            spec: { maxUnavailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": "workers" } } },
        });
    }),
};
