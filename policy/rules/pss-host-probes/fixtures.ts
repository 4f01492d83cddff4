// pss-host-probes's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { pod, type Cases } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.probes-without-host": pod(),
    "pass.probe-host-empty": pod((s) => {
        s.containers[0].livenessProbe.httpGet.host = "";
    }),
    "fail.liveness-probe-host": pod((s) => {
        s.containers[0].livenessProbe.httpGet.host = "169.254.169.254";
    }),
    "fail.startup-probe-tcp-host": pod((s) => {
        s.containers[0].startupProbe = { tcpSocket: { host: "10.0.0.1", port: 22 } };
    }),
    "fail.pre-stop-http-host": pod((s) => {
        s.containers[0].lifecycle = { preStop: { httpGet: { host: "example.com", path: "/", port: 80 } } };
    }),
    "pass.probe-host-before-1-34": pod(
        (s) => {
            s.containers[0].livenessProbe.httpGet.host = "169.254.169.254";
        },
        { config: { version: "v1.33" } },
    ),
};
