// public-entry-internal-endpoints's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { ingress } from "../../fixtures/cluster";
import { type Cases, find, type K8sObject, stack } from "../../fixtures/fixture";

/** Moves the Deployment's probes (and, with `metricsPort`, its scrape annotation) to an admin port of their own. */
function probesOnAdminPort(objects: K8sObject[], metricsPort = 9464): void {
    const template = find(objects, "Deployment").spec.template;
    const [main] = template.spec.containers;
    main.ports.push({ name: "admin", containerPort: 9464, protocol: "TCP" });
    main.livenessProbe.httpGet.port = "admin";
    main.readinessProbe.httpGet.port = "admin";
    template.metadata.annotations = {
        "prometheus.io/scrape": "true",
        "prometheus.io/port": String(metricsPort),
        "prometheus.io/path": "/metrics",
    };
}

export const cases: Cases = {
    "pass.probes-and-metrics-on-an-admin-port": stack((o) => {
        probesOnAdminPort(o);
        o.push(ingress);
    }),
    "pass.cluster-ip-service-may-reach-probes": stack(),
    "fail.ingress-reaches-the-probe-port": stack(
        (o) => {
            o.push(ingress);
        },
        {
            reports: [
                "Service apps/fixture: port 80 is public through Ingress apps/public and reaches Deployment " +
                    'apps/fixture\'s container port 8080, which serves livenessProbe "/health", readinessProbe "/ready". ' +
                    "Move those to a port no public Service points at.",
            ],
        },
    ),
    "fail.ingress-reaches-the-metrics-port": stack(
        (o) => {
            probesOnAdminPort(o, 8080);
            o.push(ingress);
        },
        {
            reports: [
                "Service apps/fixture: port 80 is public through Ingress apps/public and reaches Deployment " +
                    'apps/fixture\'s container port 8080, which serves metrics "/metrics". ' +
                    "Move those to a port no public Service points at.",
            ],
        },
    ),
    "fail.load-balancer-reaches-the-probe-port": stack(
        (o) => {
            find(o, "Service").spec.type = "LoadBalancer";
        },
        {
            reports: [
                "Service apps/fixture: port 80 is public through its type LoadBalancer and reaches Deployment " +
                    'apps/fixture\'s container port 8080, which serves livenessProbe "/health", readinessProbe "/ready". ' +
                    "Move those to a port no public Service points at.",
            ],
        },
    ),
};
