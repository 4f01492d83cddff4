// Helpers for the real-node suites: node images, restricted pod specs, kubectl apply/exec, polling.
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { REPO_ROOT } from "../../helpers/stack-config";
import { KUBECONFIG, type Result, kubectl } from "../helpers";

export const NODE_DIR = path.join(REPO_ROOT, ".cluster", "node");

/** Fails unless `scripts/cluster up` started the real node (not simulated nodes). */
export function requireRealNode(): void {
    const mode = fs.existsSync(path.join(REPO_ROOT, ".cluster", "mode"))
        ? fs.readFileSync(path.join(REPO_ROOT, ".cluster", "mode"), "utf8").trim()
        : "";
    if (mode !== "real_node") {
        throw new Error(`the local cluster runs ${mode || "nothing"}, not the real node: run scripts/cluster down && scripts/cluster up`);
    }
}

/** The node's images by name, pinned by digest (written by `scripts/cluster up`). */
export function nodeImages(): Record<string, string> {
    return JSON.parse(fs.readFileSync(path.join(NODE_DIR, "images.json"), "utf8"));
}

export function apply(manifest: object): void {
    const result = spawnSync("kubectl", ["apply", "-f", "-"], {
        input: JSON.stringify(manifest),
        encoding: "utf8",
        env: { ...process.env, KUBECONFIG },
    });
    if (result.status !== 0) {
        throw new Error(`kubectl apply failed: ${result.stderr}`);
    }
}

/** kubectl exec in a pod; fails the test on a non-zero exit unless mayFail. */
export function exec(namespace: string, pod: string, command: string[], mayFail = false): Result {
    return kubectl(["-n", namespace, "exec", pod, "--", ...command], { mayFail });
}

export interface PodOptions {
    labels?: Record<string, string>;
    command?: string[];
    /** HTTP liveness and readiness probes on port 8080 (the test server's /healthz and /readyz). */
    probes?: boolean;
    volumes?: object[];
    volumeMounts?: object[];
}

/** A pod that passes the restricted Pod Security Standard: non-root, read-only root, no capabilities. */
export function restrictedPod(namespace: string, name: string, image: string, options: PodOptions = {}): object {
    const probe = (p: string) => ({ httpGet: { path: p, port: 8080 }, periodSeconds: 2, failureThreshold: 3 });
    return {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, namespace, labels: { ...(options.labels ?? {}) } },
        spec: {
            terminationGracePeriodSeconds: 1,
            automountServiceAccountToken: false,
            securityContext: {
                runAsNonRoot: true,
                runAsUser: 10001,
                runAsGroup: 10001,
                fsGroup: 10001,
                seccompProfile: { type: "RuntimeDefault" },
            },
            containers: [
                {
                    name: "main",
                    image,
                    ...(options.command ? { command: options.command } : {}),
                    ...(options.probes ? { livenessProbe: probe("/healthz"), readinessProbe: probe("/readyz") } : {}),
                    ports: options.probes ? [{ containerPort: 8080 }] : [],
                    resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "64Mi" } },
                    securityContext: {
                        allowPrivilegeEscalation: false,
                        readOnlyRootFilesystem: true,
                        capabilities: { drop: ["ALL"] },
                    },
                    volumeMounts: options.volumeMounts ?? [],
                },
            ],
            volumes: options.volumes ?? [],
        },
    };
}

/** Polls until check() is true; fails with what was awaited after timeoutMs. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (check()) {
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
}

/**
 * Deletes the namespace if a previous run left it, creates it enforcing the restricted Pod Security
 * profile, and waits for its default ServiceAccount (pods are refused until it exists).
 */
export async function freshRestrictedNamespace(namespace: string): Promise<void> {
    kubectl(["delete", "namespace", namespace, "--ignore-not-found", "--wait=true"]);
    apply({
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: namespace, labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
    });
    await waitFor("the default ServiceAccount", () => kubectl(["-n", namespace, "get", "sa", "default"], { mayFail: true }).status === 0);
}
