// pss-host-path-volumes's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { pod, type Cases } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.empty-dir-volume": pod(),
    "pass.left-to-the-restricted-control-under-restricted": pod((s) => {
        s.volumes.push({ name: "docker", hostPath: { path: "/var/run/docker.sock" } });
    }),
    "fail.host-path-volume": pod(
        (s) => {
            s.volumes.push({ name: "docker", hostPath: { path: "/var/run/docker.sock" } });
        },
        { config: { profile: "baseline" } },
    ),
};
