// The committed prod stack's config adjusted to run on the local cluster's one real node: images from the
// local lock, the node's Traefik as ingress controller, CPU requests that fit 2 CPUs. Pulumi.prod.yaml stays
// the real prod; scripts/deploy-local prod and the real-node suites apply these overrides on top of it.
// As a script it writes the whole local config file `pulumi up --config-file` takes:
//   npx ts-node --transpile-only scripts/lib/local-prod.ts <out.yaml>
import * as fs from "node:fs";
import * as path from "node:path";
import { dump, load } from "js-yaml";
import { perService, type ServiceName } from "../../components/shared/catalogue";

const ROOT = path.resolve(__dirname, "..", "..");

/** The cluster's IngressClass: Traefik serving 127.0.0.1:18080 (scripts/cluster). */
export const LOCAL_INGRESS_CLASS = "traefik";

/** CPU requests locally: each catalogue entry's `localCpuRequest`, which says why they are what they are. */
export const LOCAL_CPU_REQUESTS: Readonly<Record<ServiceName, string>> = perService((entry) => entry.localCpuRequest);

type StackConfig = Record<string, unknown>;
type Fields = Record<string, unknown>;

const without = (value: unknown, ...keys: string[]): Fields =>
    Object.fromEntries(Object.entries((value ?? {}) as Fields).filter(([key]) => !keys.includes(key)));

/**
 * The top-level keys local prod replaces, computed from prod's own config (the `config` map of
 * Pulumi.prod.yaml). Explicit upstream images are dropped so the lock's apply; each service keeps its
 * replicas and limits but gets a local CPU request, and its HPA may not grow past its floor (the node
 * has no room for more: a scaled-up pod would stay Pending). TLS is dropped: Traefik's local entry point
 * is plain HTTP and no certificate for the prod domain exists here.
 */
export function localProdOverrides(prod: StackConfig, imageLock = ".state/images.json"): StackConfig {
    const services = prod["blog:services"] as Record<ServiceName, Fields>;
    const localServices = Object.fromEntries(
        Object.entries(LOCAL_CPU_REQUESTS).map(([name, cpu]) => {
            const service = without(services[name as ServiceName], "image");
            const resources = (service.resources ?? {}) as { requests?: Fields; limits?: Fields };
            const floor = service.minReplicas ?? service.replicas;
            return [name, { ...service, maxReplicas: floor, resources: { ...resources, requests: { ...resources.requests, cpu } } }];
        }),
    );
    return {
        "blog:imageLock": imageLock,
        "blog:services": localServices,
        "blog:postgres": without(prod["blog:postgres"], "image"),
        "blog:redis": without(prod["blog:redis"], "image"),
        "blog:gateway": { ...without(prod["blog:gateway"], "exporterImage", "tlsSecretName"), ingressClassName: LOCAL_INGRESS_CLASS },
        "blog:monitoring": without(prod["blog:monitoring"], "images"),
    };
}

/** Pulumi.prod.yaml as parsed: its config map and the encryption salt its secrets need. */
export function readProdStackFile(root = ROOT): { config: StackConfig; encryptionsalt?: string } {
    return load(fs.readFileSync(path.join(root, "Pulumi.prod.yaml"), "utf8")) as { config: StackConfig; encryptionsalt?: string };
}

if (require.main === module) {
    const out = process.argv[2];
    if (!out) {
        console.error("usage: local-prod.ts <output file for pulumi --config-file>");
        process.exit(2);
    }
    const file = readProdStackFile();
    const config = { ...file.config, ...localProdOverrides(file.config), "blog:kubeconfig": ".cluster/kubeconfig" };
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    const header = "# Written by scripts/lib/local-prod.ts from Pulumi.prod.yaml: do not edit.\n";
    fs.writeFileSync(out, header + dump({ config, encryptionsalt: file.encryptionsalt }));
}
