// pss-host-namespaces's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { pod, type Cases } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.host-namespaces-false": pod((s) => Object.assign(s, { hostNetwork: false, hostPID: false, hostIPC: false })),
    "fail.host-network-true": pod((s) => {
        s.hostNetwork = true;
    }),
    "fail.host-pid-true": pod((s) => {
        s.hostPID = true;
    }),
    "fail.host-ipc-true": pod((s) => {
        s.hostIPC = true;
    }),
};
