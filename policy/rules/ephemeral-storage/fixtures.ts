// ephemeral-storage's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { pod, addEphemeral, addInit, type Cases } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.requests-and-limits": pod(),
    "pass.ephemeral-debug-container-unbounded": pod((s) => {
        addEphemeral(s);
    }),
    "fail.no-ephemeral-storage": pod((s) => {
        s.containers[0].resources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } };
    }),
    "fail.init-container-without-limit": pod((s) => {
        delete addInit(s).resources.limits["ephemeral-storage"];
    }),
    "fail.limit-below-request": pod((s) => {
        s.containers[0].resources.limits["ephemeral-storage"] = "32Mi";
    }),
};
