// image-pinned, "Pinned images": the rule's metadata and check.
import { imageName, images, parseImage } from "../../lib/image";
import { describeContainer } from "../../lib/pod-spec";
import { podSpecRule } from "../../lib/rule";

export const imagePinned = podSpecRule<{ requireDigest: boolean }>(
    {
        name: "image-pinned",
        title: "Pinned images",
        family: "workload",
        severity: "medium",
        description: "Every image must be pinned to a version tag other than latest, or to a digest; with requireDigest, to a digest.",
        remediation:
            "Reference images as registry/repository:1.2.3 or registry/repository@sha256:<digest> (the digest when requireDigest is set).",
        config: {
            requireDigest: {
                type: "boolean",
                default: false,
                description: "Require an @sha256 digest on every image (immutable, verifiable pulls).",
            },
        },
    },
    {
        check({ pod, config, report }) {
            for (const { container, image } of images(pod.spec)) {
                const ref = parseImage(image);
                if (config.requireDigest && !ref.digest) {
                    report(
                        `${describeContainer(container)} uses "${image}" without a digest. Pin it as ${imageName(ref)}@sha256:<digest>.`,
                    );
                } else if (!ref.digest && (ref.tag === undefined || ref.tag === "latest")) {
                    report(
                        `${describeContainer(container)} uses "${image}", which floats ` +
                            `(${ref.tag ? "latest" : "no tag means latest"}). Pin a version tag or a digest.`,
                    );
                }
            }
        },
    },
);
