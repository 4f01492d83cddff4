// pss-host-namespaces's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { type Cases, pod } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.host-namespaces-false": pod((s) => Object.assign(s, { hostNetwork: false, hostPID: false, hostIPC: false })),
    "fail.host-network-true": pod(
        (s) => {
            s.hostNetwork = true;
        },
        { reports: ["the pod sets hostNetwork=true, sharing the node's namespaces. Remove it (or set false)."] },
    ),
    "fail.host-pid-true": pod(
        (s) => {
            s.hostPID = true;
        },
        { reports: ["the pod sets hostPID=true, sharing the node's namespaces. Remove it (or set false)."] },
    ),
    "fail.host-ipc-true": pod(
        (s) => {
            s.hostIPC = true;
        },
        { reports: ["the pod sets hostIPC=true, sharing the node's namespaces. Remove it (or set false)."] },
    ),
};
