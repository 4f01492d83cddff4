// no-default-namespace's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { service } from "../../fixtures/cluster";
import type { Cases } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.own-namespace": { objects: [service("ClusterIP")] },
    "pass.cluster-scoped-kind": {
        objects: [{ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "reader" } }],
    },
    "fail.default-namespace": { objects: [{ ...service("ClusterIP"), metadata: { name: "public", namespace: "default" } }] },
    "fail.no-namespace": { objects: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" }, data: {} }] },
};
