// Image provenance: every image pinned to a version (or digest) and pulled from an allowed registry.
import { parseImage, imageName, isAllowedImage } from "../lib/image";
import { containersOf, describeContainer } from "../lib/pod-spec";
import { podSpecRule, type Rule } from "../lib/rule";
import { at, text } from "../lib/values";

/** Each container's image reference, skipping those not known during preview. */
function images(spec: unknown) {
    return containersOf(spec).flatMap((container) => {
        const image = text(at(container.value, "image"));
        return typeof image === "string" && image !== "" ? [{ container, image }] : [];
    });
}

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

export const allowedRegistries = podSpecRule<{ registries: string[] }>(
    {
        name: "allowed-registries",
        title: "Allowed registries",
        family: "workload",
        severity: "high",
        description:
            "Images must come from the configured registries (registry host, optionally with a repository path); an empty list " +
            "allows any registry.",
        remediation: "Pull the image from an allowed registry (mirror it there), or add its registry to this policy's registries setting.",
        config: {
            registries: {
                type: "array",
                default: [],
                description: "Allowed image name prefixes, fully qualified: docker.io/library, registry.example.com/team.",
                items: { type: "string", pattern: "^[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)*/?$" },
            },
        },
    },
    {
        check({ pod, config, report }) {
            if (config.registries.length === 0) {
                return;
            }
            for (const { container, image } of images(pod.spec)) {
                if (!isAllowedImage(parseImage(image), config.registries)) {
                    report(
                        `${describeContainer(container)} pulls "${image}" (${imageName(parseImage(image))}), which is not under an ` +
                            `allowed registry (${config.registries.join(", ")}). Mirror it to an allowed registry.`,
                    );
                }
            }
        },
    },
);

export const IMAGE_RULES: readonly Rule[] = [imagePinned, allowedRegistries];
