// pss-host-path-volumes's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { type Cases, pod } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.empty-dir-volume": pod(),
    "pass.left-to-the-restricted-control-under-restricted": pod((s) => {
        s.volumes.push({ name: "docker", hostPath: { path: "/var/run/docker.sock" } });
    }),
    "fail.host-path-volume": pod(
        (s) => {
            s.volumes.push({ name: "docker", hostPath: { path: "/var/run/docker.sock" } });
        },
        {
            config: { profile: "baseline" },
            reports: ['volumes "docker" use hostPath. ' + "Use emptyDir, a ConfigMap, a Secret or a PersistentVolumeClaim instead."],
        },
    ),
};
