// pss-host-ports's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { pod, addInit, type Cases } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.host-port-zero": pod((s) => {
        s.containers[0].ports[0].hostPort = 0;
    }),
    "fail.host-port-set": pod((s) => {
        s.containers[0].ports[0].hostPort = 8080;
    }),
    "fail.init-container-host-port": pod((s) => {
        addInit(s).ports[0].hostPort = 9090;
    }),
    "fail.host-network-pod-ports-become-host-ports": pod(
        (s) => {
            s.hostNetwork = true;
        },
        { passesOn: ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"] },
    ),
};
