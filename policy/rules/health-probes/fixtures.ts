// health-probes's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { type K8sObject, find, stack, addInit, wrapPod, compliantPodSpec, type Cases } from "../../fixtures/fixture";

const deployment = (objects: K8sObject[]): K8sObject => find(objects, "Deployment").spec.template.spec;

const mainContainer = (objects: K8sObject[]): K8sObject => deployment(objects).containers[0];

const withoutService = (objects: K8sObject[]) => {
    objects.splice(objects.indexOf(find(objects, "Service")), 1);
};

function withoutProbes(spec: K8sObject): K8sObject {
    delete spec.containers[0].livenessProbe;
    delete spec.containers[0].readinessProbe;
    return spec;
}

export const cases: Cases = {
    "pass.both-probes": stack(),
    "pass.init-container-without-probes": stack((o) => {
        addInit(deployment(o));
    }),
    "pass.worker-without-service-or-port-needs-no-readiness": stack((o) => {
        withoutService(o);
        delete mainContainer(o).ports;
        delete mainContainer(o).readinessProbe;
    }),
    "pass.run-to-completion-job": { objects: [wrapPod("Job", { spec: withoutProbes(compliantPodSpec()) })] },
    "pass.run-to-completion-pod": {
        objects: [wrapPod("Pod", { spec: { ...withoutProbes(compliantPodSpec()), restartPolicy: "Never" } })],
    },
    "fail.no-liveness-probe": stack((o) => {
        delete mainContainer(o).livenessProbe;
    }),
    "fail.sidecar-without-probes": stack((o) => {
        addInit(deployment(o), "proxy").restartPolicy = "Always";
    }),
    "fail.service-targets-it-without-readiness": stack((o) => {
        delete mainContainer(o).ports;
        delete mainContainer(o).readinessProbe;
    }),
    "fail.declares-a-port-without-readiness": stack((o) => {
        withoutService(o);
        delete mainContainer(o).readinessProbe;
    }),
    "fail.worker-without-readiness-when-required": stack(
        (o) => {
            withoutService(o);
            delete mainContainer(o).ports;
            delete mainContainer(o).readinessProbe;
        },
        { config: { readinessForWorkers: true } },
    ),
};
