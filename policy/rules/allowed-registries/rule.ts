// allowed-registries, "Allowed registries": the rule's metadata and check.
import { imageName, images, isAllowedImage, parseImage } from "../../lib/image";
import { describeContainer } from "../../lib/pod-spec";
import { podSpecRule } from "../../lib/rule";

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
