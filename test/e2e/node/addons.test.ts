// The real node's add-ons: local-path-provisioner as the default StorageClass (data outlives its
// pod), metrics-server (`kubectl top pod` reports), Traefik (an Ingress gets an address and routes
// by Host header).
import * as assert from "node:assert";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import { kubectl, namespaceGone, requireLocalCluster } from "../helpers";
import { NODE_DIR, apply, freshRestrictedNamespace, exec, nodeImages, requireRealNode, restrictedPod, waitFor } from "./node-helpers";

const NS = "e2e-addons";

function get(url: string, host: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
        const request = http.get(url, { headers: { Host: host }, timeout: 5000 }, (response) => {
            let body = "";
            response.on("data", (chunk) => (body += chunk));
            response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
        });
        request.on("error", reject);
        request.on("timeout", () => request.destroy(new Error("timeout")));
    });
}

describe("real node add-ons (storage, metrics, ingress)", function () {
    this.timeout(240_000);
    let images: Record<string, string>;

    before(async () => {
        requireLocalCluster();
        requireRealNode();
        images = nodeImages();
        await freshRestrictedNamespace(NS);
    });

    after(async () => {
        kubectl(["delete", "namespace", NS, "--ignore-not-found", "--wait=false"], { mayFail: true });
        await namespaceGone(NS);
    });

    it("binds a claim through the default StorageClass, and its data outlives the pod", async () => {
        assert.ok(images["local-path-provisioner"], "the local-path-provisioner image was not built: run scripts/toolchain/addons.sh");
        apply({
            apiVersion: "v1",
            kind: "PersistentVolumeClaim",
            metadata: { name: "data", namespace: NS },
            spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "64Mi" } } },
        });
        const volume = {
            volumes: [{ name: "data", persistentVolumeClaim: { claimName: "data" } }],
            volumeMounts: [{ name: "data", mountPath: "/data" }],
        };
        const token = crypto.randomBytes(12).toString("hex");
        apply(restrictedPod(NS, "writer", images.busybox, { command: ["/bin/busybox", "sleep", "3600"], ...volume }));
        kubectl(["-n", NS, "wait", "--for=condition=Ready", "pod/writer", "--timeout=120s"]);
        const claim = JSON.parse(kubectl(["-n", NS, "get", "pvc", "data", "-o", "json"]).stdout);
        assert.strictEqual(claim.status.phase, "Bound");
        assert.strictEqual(claim.spec.storageClassName, "standard");
        exec(NS, "writer", ["/bin/busybox", "sh", "-c", `echo ${token} > /data/token`]);
        // The volume is a real directory on the node, under our node folder.
        const pv = JSON.parse(kubectl(["get", "pv", claim.spec.volumeName, "-o", "json"]).stdout);
        const hostPath: string = pv.spec.hostPath?.path ?? pv.spec.local?.path;
        assert.ok(hostPath.startsWith(`${NODE_DIR}/volumes/`), `volume at ${hostPath}`);
        assert.strictEqual(fs.readFileSync(`${hostPath}/token`, "utf8").trim(), token);

        kubectl(["-n", NS, "delete", "pod", "writer", "--wait=true"]);
        apply(restrictedPod(NS, "reader", images.busybox, { command: ["/bin/busybox", "sleep", "3600"], ...volume }));
        kubectl(["-n", NS, "wait", "--for=condition=Ready", "pod/reader", "--timeout=120s"]);
        assert.strictEqual(exec(NS, "reader", ["/bin/busybox", "cat", "/data/token"]).stdout.trim(), token);
    });

    it("reports pod CPU and memory through metrics-server (kubectl top pod)", async () => {
        assert.ok(images["metrics-server"], "the metrics-server image was not built: run scripts/toolchain/addons.sh");
        apply(restrictedPod(NS, "busy", images.busybox, { command: ["/bin/busybox", "sh", "-c", "while :; do :; done"] }));
        kubectl(["-n", NS, "wait", "--for=condition=Ready", "pod/busy", "--timeout=120s"]);
        let line = "";
        await waitFor(
            "kubectl top pod busy",
            () => {
                const top = kubectl(["-n", NS, "top", "pod", "busy", "--no-headers"], { mayFail: true });
                line = top.stdout.trim();
                return top.status === 0 && /^busy\s+\d+m\s+\d+Mi$/.test(line);
            },
            120_000,
        );
        // A busy loop uses real CPU: far more than an idle pod's 0-1m.
        const cpu = Number(/^busy\s+(\d+)m/.exec(line)?.[1]);
        assert.ok(cpu >= 50, `busy loop reported at ${cpu}m CPU: ${line}`);
        kubectl(["-n", NS, "delete", "pod", "busy", "--wait=false"]);
    });

    it("gives an Ingress an address and routes its Host through Traefik", async () => {
        assert.ok(images.traefik, "the traefik image was not built: run scripts/toolchain/addons.sh");
        apply(restrictedPod(NS, "web", images.testserver, { labels: { app: "web" }, probes: true }));
        apply({
            apiVersion: "v1",
            kind: "Service",
            metadata: { name: "web", namespace: NS },
            spec: { selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080 }] },
        });
        apply({
            apiVersion: "networking.k8s.io/v1",
            kind: "Ingress",
            metadata: { name: "web", namespace: NS },
            spec: {
                rules: [
                    {
                        host: "web.e2e.local",
                        http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 80 } } } }] },
                    },
                ],
            },
        });
        kubectl(["-n", NS, "wait", "--for=condition=Ready", "pod/web", "--timeout=120s"]);
        await waitFor(
            "the Ingress's address",
            () =>
                kubectl(["-n", NS, "get", "ingress", "web", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}"]).stdout === "127.0.0.1",
            60_000,
        );
        let routed = { status: 0, body: "" };
        const deadline = Date.now() + 30_000;
        while (Date.now() < deadline && routed.status !== 200) {
            routed = await get("http://127.0.0.1:18080/", "web.e2e.local").catch(() => ({ status: 0, body: "" }));
            await new Promise((resolve) => setTimeout(resolve, 500));
        }
        assert.deepStrictEqual(routed, { status: 200, body: "hello from web\n" });
        const other = await get("http://127.0.0.1:18080/", "other.e2e.local");
        assert.strictEqual(other.status, 404);
    });
});
