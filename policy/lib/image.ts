// Container image references: registry, repository, tag and digest, normalised the way the runtime
// resolves them (no registry means Docker Hub, a single path segment means library/), and the images a
// pod's containers reference.
import { containersOf } from "./pod-spec";
import { at, text } from "./values";

export interface ImageReference {
    /** Registry host (and port), e.g. docker.io, registry.example.com:5000. */
    registry: string;
    /** Repository path within the registry, e.g. library/nginx. */
    repository: string;
    tag?: string;
    digest?: string;
}

export function parseImage(reference: string): ImageReference {
    let rest = reference;
    let digest: string | undefined;
    const at = rest.indexOf("@");
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
    }
    let tag: string | undefined;
    const colon = rest.lastIndexOf(":");
    if (colon > rest.lastIndexOf("/")) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
    }
    const slash = rest.indexOf("/");
    const first = slash >= 0 ? rest.slice(0, slash) : "";
    const hasRegistry = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
    const registry = hasRegistry ? first : "docker.io";
    let repository = hasRegistry ? rest.slice(slash + 1) : rest;
    if (registry === "docker.io" && !repository.includes("/")) {
        repository = `library/${repository}`;
    }
    return { registry, repository, tag, digest };
}

/** `registry/repository`, the name allowlists are matched against. */
export const imageName = (image: ImageReference): string => `${image.registry}/${image.repository}`;

/** True when the image's name is an allowed entry or lies below one (`docker.io/library` allows `docker.io/library/redis`). */
export function isAllowedImage(image: ImageReference, allowed: readonly string[]): boolean {
    const name = imageName(image);
    return allowed.some((entry) => {
        const prefix = entry.replace(/\/+$/, "");
        return name === prefix || name.startsWith(`${prefix}/`);
    });
}

/** Each container's image reference, skipping those not known during preview. */
export function images(spec: unknown) {
    return containersOf(spec).flatMap((container) => {
        const image = text(at(container.value, "image"));
        return typeof image === "string" && image !== "" ? [{ container, image }] : [];
    });
}
