// service-selector's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { APP_LABELS, type Cases, compliantPodSpec, find, type K8sObject, NAMESPACE, stack, wrapPod } from "../../fixtures/fixture";

const REDIS_LABELS = { "app.kubernetes.io/name": "redis" };

/** A one-replica StatefulSet (no budget needed) with its own labels. */
function statefulSet(name: string): K8sObject {
    const set = wrapPod("StatefulSet", { metadata: { labels: REDIS_LABELS }, spec: compliantPodSpec() }, name);
    return { ...set, spec: { ...set.spec, replicas: 1 } };
}

/** A Service selecting pods by the given labels, as charts do for one Service per StatefulSet pod. */
const podService = (name: string, selector: Record<string, string>): K8sObject => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace: NAMESPACE },
    spec: { selector, ports: [{ port: 6379 }] },
});

export const cases: Cases = {
    "pass.selector-matches-pods": stack(),
    "pass.selectorless-service": stack((o) => {
        delete find(o, "Service").spec.selector;
    }),
    "fail.selector-matches-nothing": stack(
        (o) => {
            find(o, "Service").spec.selector = { "app.kubernetes.io/name": "typo" };
        },
        {
            reports: [
                "Service apps/fixture: selects app.kubernetes.io/name=typo, but no workload in its namespace has " +
                    "pods with those labels. Fix the selector or the pod template labels.",
            ],
        },
    ),
    "fail.selector-in-wrong-namespace": stack(
        (o) => {
            find(o, "Service").metadata.namespace = "elsewhere";
        },
        {
            reports: [
                "Service elsewhere/fixture: selects app.kubernetes.io/name=fixture, but no workload in its namespace " +
                    "has pods with those labels. Fix the selector or the pod template labels.",
            ],
        },
    ),
    "pass.one-service-per-statefulset-pod": stack((o) => {
        o.push(
            statefulSet("redis"),
            podService("redis-0", { "statefulset.kubernetes.io/pod-name": "redis-0", ...REDIS_LABELS }),
            podService("redis-1", { "apps.kubernetes.io/pod-index": "1", "controller-revision-hash": "redis-5d8f7c" }),
        );
    }),
    "pass.deployment-pods-by-template-hash": stack((o) => {
        find(o, "Service").spec.selector = { ...APP_LABELS, "pod-template-hash": "7c9f8d6b5" };
    }),
    "fail.pod-name-of-another-statefulset": stack(
        (o) => {
            o.push(statefulSet("redis"), podService("redis-0", { "statefulset.kubernetes.io/pod-name": "postgres-0" }));
        },
        {
            reports: [
                "Service apps/redis-0: selects statefulset.kubernetes.io/pod-name=postgres-0, but no workload in its " +
                    "namespace has pods with those labels. Fix the selector or the pod template labels.",
            ],
        },
    ),
    "fail.pod-template-hash-on-a-statefulset": stack(
        (o) => {
            o.push(statefulSet("redis"), podService("redis-hash", { ...REDIS_LABELS, "pod-template-hash": "7c9f8d6b5" }));
        },
        {
            reports: [
                "Service apps/redis-hash: selects app.kubernetes.io/name=redis, pod-template-hash=7c9f8d6b5, but no " +
                    "workload in its namespace has pods with those labels. Fix the selector or the pod template labels.",
            ],
        },
    ),
};
