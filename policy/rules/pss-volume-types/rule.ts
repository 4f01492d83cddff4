// pss-volume-types, "Volume types": the rule's metadata and check.
import { restricted } from "../../lib/pod-security";
import { podSpecRule } from "../../lib/rule";
import { at, isKnown, items, show, UNKNOWN } from "../../lib/values";

/** Inline volume sources the restricted profile allows. */
export const ALLOWED_VOLUME_SOURCES: ReadonlySet<string> = new Set([
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
]);

export const volumeTypes = podSpecRule(
    restricted({
        name: "pss-volume-types",
        pssCheck: "restrictedVolumes",
        title: "Volume types",
        severity: "high",
        description:
            "Pods may use only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret " +
            "volumes (a volume that names no source is an emptyDir).",
        remediation:
            "Replace other inline volume sources with a PersistentVolumeClaim (backed by a PersistentVolume or CSI driver) or one of " +
            "the allowed types.",
    }),
    {
        check({ pod, report }) {
            const volumes = items(at(pod.spec, "volumes"));
            if (volumes === UNKNOWN) {
                return;
            }
            for (const volume of volumes) {
                if (!isKnown(volume) || volume === null || typeof volume !== "object") {
                    continue;
                }
                const sources = Object.entries(volume).filter(([key, value]) => key !== "name" && value !== undefined && value !== null);
                if (sources.length > 0 && !sources.some(([key]) => ALLOWED_VOLUME_SOURCES.has(key))) {
                    report(
                        `volume ${show(at(volume, "name"))} uses the restricted type ${sources.map(([k]) => k).join(", ")}. Use a ` +
                            "PersistentVolumeClaim or an allowed type.",
                    );
                }
            }
        },
    },
);
