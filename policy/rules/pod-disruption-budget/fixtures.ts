// pod-disruption-budget's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { hpaOwned } from "../../fixtures/cluster";
import { APP_LABELS, type Cases, compliantPodSpec, find, type K8sObject, NAMESPACE, stack, wrapPod } from "../../fixtures/fixture";

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
    "fail.no-budget": stack(
        (o) => {
            o.splice(o.indexOf(find(o, "PodDisruptionBudget")), 1);
        },
        {
            reports: [
                "Deployment apps/fixture: runs 2 replicas but no PodDisruptionBudget selects its pods. " +
                    "Add one with maxUnavailable: 1.",
            ],
        },
    ),
    "fail.hpa-min-two-without-budget": stack(
        (o) => {
            hpaOwned(o, 2);
            o.splice(o.indexOf(find(o, "PodDisruptionBudget")), 1);
        },
        {
            reports: [
                "Deployment apps/fixture: runs its HPA's minReplicas 2 but no PodDisruptionBudget selects its pods. " +
                    "Add one with maxUnavailable: 1.",
            ],
        },
    ),
    "fail.budget-allows-no-eviction": stack(
        (o) => {
            find(o, "PodDisruptionBudget").spec = { minAvailable: "100%", selector: { matchLabels: APP_LABELS } };
        },
        {
            reports: [
                "Deployment apps/fixture: has 2 replicas, and its PodDisruptionBudget PodDisruptionBudget " +
                    "apps/fixture allows no eviction, so node drains block. Use maxUnavailable: 1.",
            ],
        },
    ),
    "fail.two-budgets": stack(
        (o) => {
            o.push({ ...find(o, "PodDisruptionBudget"), metadata: { name: "second", namespace: NAMESPACE } });
        },
        {
            reports: [
                "Deployment apps/fixture: is selected by 2 PodDisruptionBudgets (PodDisruptionBudget apps/fixture, " +
                    "PodDisruptionBudget apps/second); evictions fail when more than one applies. Keep one.",
            ],
        },
    ),
    "fail.replica-set-without-budget": stack(
        (o) => {
            o.push(replicated("ReplicaSet", "workers", 3));
        },
        {
            reports: [
                "ReplicaSet apps/workers: runs 3 replicas but no PodDisruptionBudget selects its pods. " +
                    "Add one with maxUnavailable: 1.",
            ],
        },
    ),
    "fail.replication-controller-without-budget": stack(
        (o) => {
            o.push(replicated("ReplicationController", "legacy", 2));
        },
        {
            reports: [
                "ReplicationController apps/legacy: runs 2 replicas but no PodDisruptionBudget selects its pods. " +
                    "Add one with maxUnavailable: 1.",
            ],
        },
    ),
    "pass.replica-set-with-budget": stack((o) => {
        o.push(replicated("ReplicaSet", "workers", 3), {
            apiVersion: "policy/v1",
            kind: "PodDisruptionBudget",
            metadata: { name: "workers", namespace: NAMESPACE },
            spec: { maxUnavailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": "workers" } } },
        });
    }),
};
