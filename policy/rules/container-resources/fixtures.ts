// container-resources's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { pod, addInit, type Cases } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.requests-and-limits": pod(),
    "pass.numeric-cpu": pod((s) => {
        s.containers[0].resources = { requests: { cpu: 0.5, memory: "1Gi" }, limits: { cpu: 1, memory: "1Gi" } };
    }),
    "fail.no-resources": pod((s) => {
        delete s.containers[0].resources;
    }),
    "fail.memory-limit-missing": pod((s) => {
        delete s.containers[0].resources.limits.memory;
    }),
    "fail.limit-below-request": pod((s) => {
        s.containers[0].resources.limits.cpu = "50m";
    }),
    "fail.init-container-unsized": pod((s) => {
        delete addInit(s).resources;
    }),
};
