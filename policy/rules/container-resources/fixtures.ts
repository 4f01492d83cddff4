// container-resources's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { addInit, type Cases, pod } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.requests-and-limits": pod(),
    "pass.numeric-cpu": pod((s) => {
        s.containers[0].resources = { requests: { cpu: 0.5, memory: "1Gi" }, limits: { cpu: 1, memory: "1Gi" } };
    }),
    "fail.no-resources": pod(
        (s) => {
            delete s.containers[0].resources;
        },
        {
            reports: [
                'container "app" does not set resources requests.cpu, limits.cpu, requests.memory, limits.memory. ' +
                    "Set CPU and memory requests and limits.",
            ],
        },
    ),
    "fail.memory-limit-missing": pod(
        (s) => {
            delete s.containers[0].resources.limits.memory;
        },
        { reports: ['container "app" does not set resources limits.memory. Set CPU and memory requests and limits.'] },
    ),
    "fail.limit-below-request": pod(
        (s) => {
            s.containers[0].resources.limits.cpu = "50m";
        },
        { reports: ['container "app": limits.cpu 50m is below requests.cpu 100m. Raise the limit to at least the request.'] },
    ),
    "fail.init-container-unsized": pod(
        (s) => {
            delete addInit(s).resources;
        },
        {
            reports: [
                'init container "init" does not set resources requests.cpu, limits.cpu, requests.memory, ' +
                    "limits.memory. Set CPU and memory requests and limits.",
            ],
        },
    ),
};
