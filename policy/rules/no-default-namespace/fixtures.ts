// no-default-namespace's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { service } from "../../fixtures/cluster";
import type { Cases } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.own-namespace": { objects: [service("ClusterIP")] },
    "pass.cluster-scoped-kind": {
        objects: [{ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "reader" } }],
    },
    "fail.default-namespace": {
        objects: [{ ...service("ClusterIP"), metadata: { name: "public", namespace: "default" } }],
        reports: ['Service default/public: is in the "default" namespace. Move it to the application\'s own namespace.'],
    },
    "fail.no-namespace": {
        objects: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" }, data: {} }],
        reports: [
            'ConfigMap settings: sets no namespace and its provider sets none, so it lands in "default". ' + "Set metadata.namespace.",
        ],
    },
};
