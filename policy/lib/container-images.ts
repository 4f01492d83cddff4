// The images a pod's containers reference, as the image rules read them.
import { containersOf } from "./pod-spec";
import { text, at } from "./values";

/** Each container's image reference, skipping those not known during preview. */
export function images(spec: unknown) {
    return containersOf(spec).flatMap((container) => {
        const image = text(at(container.value, "image"));
        return typeof image === "string" && image !== "" ? [{ container, image }] : [];
    });
}
