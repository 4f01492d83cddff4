// image-pinned's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { pod, addInit, type Cases } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.version-tag": pod(),
    "pass.digest": pod(
        (s) => {
            s.containers[0].image = `registry.example.com/team/app@sha256:${"a".repeat(64)}`;
        },
        { config: { requireDigest: true } },
    ),
    "fail.latest-tag": pod((s) => {
        s.containers[0].image = "registry.example.com/team/app:latest";
    }),
    "fail.no-tag": pod((s) => {
        s.containers[0].image = "nginx";
    }),
    "fail.tag-without-required-digest": pod(() => undefined, { config: { requireDigest: true } }),
    "fail.init-container-untagged": pod((s) => {
        addInit(s).image = "busybox";
    }),
};
