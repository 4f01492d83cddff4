// blog:imageLock: the map `scripts/images push` writes from image name to a digest-pinned reference in
// the local registry, read once and checked, and the name each workload's image has in it.
import * as path from "node:path";
import { DATA_STORES, perService } from "../components/shared/catalogue";
import type { FileReader } from "./kubeconfig";
import type { Problems } from "./problems";

/** Image name → reference pinned by digest, e.g. "127.0.0.1:5000/blog/auth@sha256:…". */
export type ImageLock = Readonly<Record<string, string>>;

/** The name each workload's image has in the lock (scripts/images' recipe and service names; the catalogue's). */
export const LOCK_NAMES = {
    services: perService((entry) => entry.image),
    postgres: DATA_STORES.postgres.image,
    redis: DATA_STORES.redis.image,
    gatewayExporter: "nginxlog-exporter",
    monitoring: { prometheus: "prometheus", alertmanager: "alertmanager", kubeStateMetrics: "kube-state-metrics", grafana: "grafana" },
} as const;

const DIGEST_REFERENCE = /^[a-z0-9][a-z0-9._/:-]*@sha256:[a-f0-9]{64}$/;
const BUILD_AND_PUSH = "Run: scripts/images build && scripts/images push (they write .state/images.json), or pulumi config rm imageLock";

/** Reads and checks the lock file `value` names (relative to the project); problems are recorded. */
export function readImageLock(value: string, files: FileReader, p: Problems): ImageLock | undefined {
    const file = path.resolve(files.cwd, value);
    const text = files.read(file);
    if (text === undefined) {
        p.add("imageLock", `name the image lock file scripts/images push writes (${file} does not exist)`, value, BUILD_AND_PUSH);
        return undefined;
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (error) {
        p.add("imageLock", `name a JSON file (${file}: ${(error as Error).message})`, value, BUILD_AND_PUSH);
        return undefined;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        p.add("imageLock", `name a JSON object of image name → reference (${file} holds ${JSON.stringify(parsed)})`, value, BUILD_AND_PUSH);
        return undefined;
    }
    const bad = Object.entries(parsed).filter(([, ref]) => typeof ref !== "string" || !DIGEST_REFERENCE.test(ref));
    if (bad.length > 0) {
        const shown = bad.map(([name, ref]) => `${name}: ${JSON.stringify(ref)}`).join(", ");
        p.add(
            "imageLock",
            `map each image name to a reference pinned by digest (registry/repository@sha256:…; ${file} has ${shown})`,
            value,
            BUILD_AND_PUSH,
        );
        return undefined;
    }
    return parsed as ImageLock;
}

/**
 * The image of one workload: its explicit key, else the lock's entry, else `fallback` when no lock is
 * used. A lock that lacks the name is a problem (recorded on `key`), never a silent upstream image.
 */
export function lockedImage(
    key: string,
    explicit: string | undefined,
    lockName: string,
    lock: { value: string; images: ImageLock } | undefined,
    p: Problems,
): string | undefined {
    if (explicit !== undefined || lock === undefined) {
        return explicit;
    }
    const image = lock.images[lockName];
    if (image === undefined) {
        p.add(
            "imageLock",
            `hold an image named ${lockName} for ${key} (it has ${Object.keys(lock.images).sort().join(", ") || "none"})`,
            lock.value,
            `Run: scripts/images build ${lockName} && scripts/images push, or pulumi config set --path '${key}' <image reference>`,
        );
    }
    return image;
}
