// allowed-registries's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { type Cases, compliantContainer, pod } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.any-registry-when-unconfigured": pod((s) => {
        s.containers[0].image = "quay.io/someone/tool:1.0";
    }),
    "pass.allowed-registry": pod(
        (s) => {
            s.containers.push({ ...compliantContainer("redis"), image: "redis:7.4" });
        },
        { config: { registries: ["registry.example.com/team", "docker.io/library"] } },
    ),
    "fail.registry-not-allowed": pod(
        (s) => {
            s.containers[0].image = "ghcr.io/attacker/app:1.0";
        },
        {
            config: { registries: ["registry.example.com"] },
            reports: [
                'container "app" pulls "ghcr.io/attacker/app:1.0" (ghcr.io/attacker/app), which is not under an ' +
                    "allowed registry (registry.example.com). Mirror it to an allowed registry.",
            ],
        },
    ),
    "fail.docker-hub-short-name-not-allowed": pod(
        (s) => {
            s.containers[0].image = "nginx:1.27";
        },
        {
            config: { registries: ["registry.example.com"] },
            reports: [
                'container "app" pulls "nginx:1.27" (docker.io/library/nginx), which is not under an allowed ' +
                    "registry (registry.example.com). Mirror it to an allowed registry.",
            ],
        },
    ),
};
