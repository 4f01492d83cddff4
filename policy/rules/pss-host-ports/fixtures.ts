// pss-host-ports's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { addInit, type Cases, pod } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.host-port-zero": pod((s) => {
        s.containers[0].ports[0].hostPort = 0;
    }),
    "fail.host-port-set": pod(
        (s) => {
            s.containers[0].ports[0].hostPort = 8080;
        },
        { reports: ['container "app" binds host ports 8080. Remove hostPort and expose the port through a Service.'] },
    ),
    "fail.init-container-host-port": pod(
        (s) => {
            addInit(s).ports[0].hostPort = 9090;
        },
        { reports: ['init container "init" binds host ports 9090. Remove hostPort and expose the port through a Service.'] },
    ),
    "fail.host-network-pod-ports-become-host-ports": pod(
        (s) => {
            s.hostNetwork = true;
        },
        {
            passesOn: ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"],
            reports: ['container "app" binds host ports 8080. Remove hostPort and expose the port through a Service.'],
        },
    ),
};
