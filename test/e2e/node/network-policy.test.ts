// NetworkPolicy on the real node, enforced by kube-router's firewall (kube-network-policies cannot run
// on this kernel, docs/local-cluster.md): default-deny blocks pod-to-pod traffic, and an allow policy
// opens exactly one edge, by pod IP and by ClusterIP.
import * as assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { kubectl, namespaceGone, requireLocalCluster } from "../helpers";
import { NODE_DIR, apply, freshRestrictedNamespace, exec, nodeImages, requireRealNode, restrictedPod, waitFor } from "./node-helpers";

const NS = "e2e-netpol";

describe("NetworkPolicy on the real node (kube-router firewall)", function () {
    this.timeout(180_000);
    let serverIP: string;
    let clusterIP: string;

    /** Whether `from` gets the server's answer at url within a few seconds. */
    function reaches(from: string, url: string): boolean {
        const result = exec(NS, from, ["/bin/busybox", "timeout", "4", "/bin/busybox", "wget", "-q", "-O", "-", url], true);
        return result.status === 0 && result.stdout.trim() === "hello from server";
    }
    const edges = () => ({
        allowedByPodIP: reaches("allowed", `http://${serverIP}:8080/`),
        allowedByClusterIP: reaches("allowed", `http://${clusterIP}/`),
        otherByPodIP: reaches("other", `http://${serverIP}:8080/`),
        otherByClusterIP: reaches("other", `http://${clusterIP}/`),
    });

    before(async () => {
        requireLocalCluster();
        requireRealNode();
        const images = nodeImages();
        const pidFile = path.join(NODE_DIR, "pids", "kube-router.pid");
        assert.ok(
            fs.existsSync(pidFile),
            "no NetworkPolicy agent runs: build kube-router (scripts/toolchain/cluster.sh), then scripts/cluster down && up",
        );
        await freshRestrictedNamespace(NS);
        apply(restrictedPod(NS, "server", images.testserver, { labels: { app: "server" }, probes: true }));
        for (const role of ["allowed", "other"]) {
            apply(restrictedPod(NS, role, images.busybox, { labels: { role }, command: ["/bin/busybox", "sleep", "3600"] }));
        }
        apply({
            apiVersion: "v1",
            kind: "Service",
            metadata: { name: "server", namespace: NS },
            spec: { selector: { app: "server" }, ports: [{ port: 80, targetPort: 8080 }] },
        });
        for (const pod of ["server", "allowed", "other"]) {
            kubectl(["-n", NS, "wait", "--for=condition=Ready", `pod/${pod}`, "--timeout=120s"]);
        }
        serverIP = kubectl(["-n", NS, "get", "pod", "server", "-o", "jsonpath={.status.podIP}"]).stdout;
        clusterIP = kubectl(["-n", NS, "get", "service", "server", "-o", "jsonpath={.spec.clusterIP}"]).stdout;
    });

    after(async () => {
        kubectl(["delete", "namespace", NS, "--ignore-not-found", "--wait=false"], { mayFail: true });
        await namespaceGone(NS);
    });

    it("lets every pod through while no policy selects the server", () => {
        assert.deepStrictEqual(edges(), { allowedByPodIP: true, allowedByClusterIP: true, otherByPodIP: true, otherByClusterIP: true });
    });

    it("blocks pod-to-pod traffic under a default-deny ingress policy", async () => {
        apply({
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: { name: "default-deny", namespace: NS },
            spec: { podSelector: {}, policyTypes: ["Ingress"] },
        });
        await waitFor("default-deny to apply", () => !reaches("allowed", `http://${serverIP}:8080/`), 30_000);
        assert.deepStrictEqual(edges(), { allowedByPodIP: false, allowedByClusterIP: false, otherByPodIP: false, otherByClusterIP: false });
    });

    it("opens exactly the one allowed edge, by pod IP and by ClusterIP", async () => {
        apply({
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: { name: "allow-allowed-to-server", namespace: NS },
            spec: {
                podSelector: { matchLabels: { app: "server" } },
                policyTypes: ["Ingress"],
                ingress: [{ from: [{ podSelector: { matchLabels: { role: "allowed" } } }], ports: [{ port: 8080, protocol: "TCP" }] }],
            },
        });
        await waitFor("the allow policy to apply", () => reaches("allowed", `http://${serverIP}:8080/`), 30_000);
        assert.deepStrictEqual(edges(), { allowedByPodIP: true, allowedByClusterIP: true, otherByPodIP: false, otherByClusterIP: false });
    });
});
