// image-pinned's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { addInit, type Cases, pod } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.version-tag": pod(),
    "pass.digest": pod(
        (s) => {
            s.containers[0].image = `registry.example.com/team/app@sha256:${"a".repeat(64)}`;
        },
        { config: { requireDigest: true } },
    ),
    "fail.latest-tag": pod(
        (s) => {
            s.containers[0].image = "registry.example.com/team/app:latest";
        },
        {
            reports: [
                'container "app" uses "registry.example.com/team/app:latest", which floats (latest). ' + "Pin a version tag or a digest.",
            ],
        },
    ),
    "fail.no-tag": pod(
        (s) => {
            s.containers[0].image = "nginx";
        },
        { reports: ['container "app" uses "nginx", which floats (no tag means latest). Pin a version tag or a digest.'] },
    ),
    "fail.tag-without-required-digest": pod(() => undefined, {
        config: { requireDigest: true },
        reports: [
            'container "app" uses "registry.example.com/team/app:1.2.3" without a digest. ' +
                "Pin it as registry.example.com/team/app@sha256:<digest>.",
        ],
    }),
    "fail.init-container-untagged": pod(
        (s) => {
            addInit(s).image = "busybox";
        },
        { reports: ['init container "init" uses "busybox", which floats (no tag means latest). ' + "Pin a version tag or a digest."] },
    ),
};
