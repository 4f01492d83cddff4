// allowed-registries's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { pod, compliantContainer, type Cases } from "../../fixtures/fixture";

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
        { config: { registries: ["registry.example.com"] } },
    ),
    "fail.docker-hub-short-name-not-allowed": pod(
        (s) => {
            s.containers[0].image = "nginx:1.27";
        },
        { config: { registries: ["registry.example.com"] } },
    ),
};
