// pss-volume-types's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { type Cases, pod } from "../../fixtures/fixture";

export const cases: Cases = {
    "fail.host-path-volume": pod(
        (s) => {
            s.volumes.push({ name: "docker", hostPath: { path: "/var/run/docker.sock" } });
        },
        { reports: ['volume "docker" uses the restricted type hostPath. Use a PersistentVolumeClaim or an allowed type.'] },
    ),
    "pass.allowed-volume-types": pod((s) => {
        s.volumes.push(
            { name: "config", configMap: { name: "config" } },
            { name: "data", persistentVolumeClaim: { claimName: "data" } },
            { name: "token", projected: { sources: [] } },
            { name: "scratch", ephemeral: { volumeClaimTemplate: { spec: {} } } },
        );
    }),
    "pass.nfs-under-baseline-profile": pod(
        (s) => {
            s.volumes.push({ name: "nfs", nfs: { server: "nfs", path: "/" } });
        },
        { config: { profile: "baseline" } },
    ),
    "fail.nfs-volume": pod(
        (s) => {
            s.volumes.push({ name: "nfs", nfs: { server: "nfs", path: "/" } });
        },
        { reports: ['volume "nfs" uses the restricted type nfs. Use a PersistentVolumeClaim or an allowed type.'] },
    ),
    "fail.git-repo-volume": pod(
        (s) => {
            s.volumes.push({ name: "src", gitRepo: { repository: "https://example.com/repo.git" } });
        },
        { reports: ['volume "src" uses the restricted type gitRepo. Use a PersistentVolumeClaim or an allowed type.'] },
    ),
    "pass.image-volume": pod((s) => {
        s.volumes.push({ name: "model", image: { reference: "registry.example.com/team/model:1.0.0" } });
    }),
    "pass.volume-without-source-is-empty-dir": pod((s) => {
        s.volumes.push({ name: "scratch" });
    }),
};
