// pss-volume-types as CEL for a ValidatingAdmissionPolicy (built by policy/admission/generate.ts), at the rule's defaults.
import type { CelCheck } from "../../admission/cel";

export const cel: CelCheck = {
    kinds: "pods",
    expression:
        "!has(variables.spec.volumes) || variables.spec.volumes.all(v, has(v.configMap) || has(v.csi) || has(v.downwardAPI) || " +
        "has(v.emptyDir) || has(v.ephemeral) || has(v.image) || has(v.persistentVolumeClaim) || has(v.projected) || " +
        "has(v.secret))",
    message:
        "Pods may use only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret " +
        "volumes.",
};
