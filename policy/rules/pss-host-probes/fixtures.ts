// pss-host-probes's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { type Cases, pod } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.probes-without-host": pod(),
    "pass.probe-host-empty": pod((s) => {
        s.containers[0].livenessProbe.httpGet.host = "";
    }),
    "fail.liveness-probe-host": pod(
        (s) => {
            s.containers[0].livenessProbe.httpGet.host = "169.254.169.254";
        },
        {
            reports: [
                'container "app" sets livenessProbe.httpGet.host="169.254.169.254". ' +
                    "Remove the host field so the kubelet probes the pod itself.",
            ],
        },
    ),
    "fail.startup-probe-tcp-host": pod(
        (s) => {
            s.containers[0].startupProbe = { tcpSocket: { host: "10.0.0.1", port: 22 } };
        },
        {
            reports: [
                'container "app" sets startupProbe.tcpSocket.host="10.0.0.1". ' +
                    "Remove the host field so the kubelet probes the pod itself.",
            ],
        },
    ),
    "fail.pre-stop-http-host": pod(
        (s) => {
            s.containers[0].lifecycle = { preStop: { httpGet: { host: "example.com", path: "/", port: 80 } } };
        },
        {
            reports: [
                'container "app" sets lifecycle.preStop.httpGet.host="example.com". ' +
                    "Remove the host field so the kubelet probes the pod itself.",
            ],
        },
    ),
    "pass.probe-host-before-1-34": pod(
        (s) => {
            s.containers[0].livenessProbe.httpGet.host = "169.254.169.254";
        },
        { config: { version: "v1.33" } },
    ),
};
