// The real node of `scripts/cluster up`: hardened pods run and pass real HTTP probes, Services and
// cluster DNS answer from other pods, a Service without ready endpoints does not, and traffic for an
// unprogrammed Service address is dropped on the machine instead of leaving it.
import * as assert from "node:assert";
import { execFileSync } from "node:child_process";
import { kubectl, namespaceGone, requireLocalCluster } from "../helpers";
import { apply, exec, freshRestrictedNamespace, nodeImages, requireRealNode, restrictedPod, waitFor } from "./node-helpers";

const NS = "e2e-node";

describe("real node (containerd, kubelet, kube-proxy, CoreDNS)", function () {
    this.timeout(180_000);
    let images: Record<string, string>;

    before(async () => {
        requireLocalCluster();
        requireRealNode();
        images = nodeImages();
        await freshRestrictedNamespace(NS);
        apply(restrictedPod(NS, "web", images.testserver, { labels: { app: "web" }, probes: true }));
        apply(restrictedPod(NS, "client", images.busybox, { command: ["/bin/busybox", "sleep", "3600"] }));
        apply({
            apiVersion: "v1",
            kind: "Service",
            metadata: { name: "web", namespace: NS },
            spec: { selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080 }] },
        });
        // Selects nothing: it has a ClusterIP but never a ready endpoint.
        apply({
            apiVersion: "v1",
            kind: "Service",
            metadata: { name: "nobody", namespace: NS },
            spec: { selector: { app: "nobody" }, ports: [{ port: 80, targetPort: 8080 }] },
        });
        for (const pod of ["web", "client"]) {
            kubectl(["-n", NS, "wait", "--for=condition=Ready", `pod/${pod}`, "--timeout=120s"]);
        }
    });

    after(async () => {
        kubectl(["delete", "namespace", NS, "--ignore-not-found", "--wait=false"], { mayFail: true });
        await namespaceGone(NS);
    });

    it("runs a hardened pod in a restricted namespace, Ready through real HTTP probes", async () => {
        const pod = JSON.parse(kubectl(["-n", NS, "get", "pod", "web", "-o", "json"]).stdout);
        const status = pod.status.containerStatuses[0];
        assert.strictEqual(status.ready, true);
        assert.ok(status.containerID.startsWith("containerd://"), `not run by containerd: ${status.containerID}`);
        assert.strictEqual(pod.spec.nodeName, "blog-node");
        // The kubelet's probes reached the server: each request line carries kube-probe's User-Agent.
        // Ready needs only the readiness probe; the first liveness probe may come a period later.
        const log = () => kubectl(["-n", NS, "logs", "web"]).stdout;
        assert.match(log(), /GET \/readyz "kube-probe\/1\.37/);
        await waitFor("the kubelet's liveness probe in the pod's log", () => /GET \/healthz "kube-probe\/1\.37/.test(log()), 30_000);
        // A container of the same hardened spec runs as the non-root UID and cannot write its root.
        assert.strictEqual(exec(NS, "client", ["/bin/busybox", "id", "-u"]).stdout.trim(), "10001");
        const write = exec(NS, "client", ["/bin/busybox", "touch", "/probe-write"], true);
        assert.notStrictEqual(write.status, 0, "the read-only root filesystem accepted a write");
    });

    it("answers on the Service's DNS name and ClusterIP from another pod", () => {
        const byName = exec(NS, "client", [
            "/bin/busybox",
            "timeout",
            "10",
            "/bin/busybox",
            "wget",
            "-q",
            "-O",
            "-",
            `http://web.${NS}.svc.cluster.local/`,
        ]);
        assert.strictEqual(byName.stdout.trim(), "hello from web");
        const clusterIP = kubectl(["-n", NS, "get", "service", "web", "-o", "jsonpath={.spec.clusterIP}"]).stdout;
        const lookup = exec(NS, "client", ["/bin/busybox", "nslookup", `web.${NS}.svc.cluster.local`]).stdout;
        assert.ok(lookup.includes(clusterIP), `DNS answered ${lookup}, the ClusterIP is ${clusterIP}`);
        const byIP = exec(NS, "client", ["/bin/busybox", "timeout", "10", "/bin/busybox", "wget", "-q", "-O", "-", `http://${clusterIP}/`]);
        assert.strictEqual(byIP.stdout.trim(), "hello from web");
    });

    it("does not answer on a Service without ready endpoints", () => {
        const result = exec(
            NS,
            "client",
            ["/bin/busybox", "timeout", "10", "/bin/busybox", "wget", "-q", "-O", "-", `http://nobody.${NS}.svc.cluster.local/`],
            true,
        );
        assert.notStrictEqual(result.status, 0, `the endpoint-less Service answered: ${result.stdout}`);
    });

    it("drops traffic for an unprogrammed Service address on the machine instead of routing it out", () => {
        const dropped = () => {
            const rules = execFileSync("iptables", ["-t", "mangle", "-L", "BLOG-NODE-EGRESS", "-n", "-v", "-x"], { encoding: "utf8" });
            const line = rules.split("\n").find((l) => / DROP .* 10\.96\.0\.0\/16\s*$/.test(l));
            assert.ok(line, `no DROP rule for the Service range in:\n${rules}`);
            return Number(line.trim().split(/\s+/)[0]);
        };
        const before = dropped();
        // No Service has this address, so kube-proxy has no rule for it.
        const result = exec(
            NS,
            "client",
            ["/bin/busybox", "timeout", "5", "/bin/busybox", "wget", "-q", "-O", "-", "http://10.96.255.254/"],
            true,
        );
        assert.notStrictEqual(result.status, 0, `something answered for an unused Service address: ${result.stdout}`);
        assert.ok(dropped() > before, "the packets for the unused Service address did not reach the egress DROP");
    });
});
