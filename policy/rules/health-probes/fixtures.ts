// health-probes's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { addInit, type Cases, compliantPodSpec, find, type K8sObject, stack, wrapPod } from "../../fixtures/fixture";

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
    "fail.no-liveness-probe": stack(
        (o) => {
            delete mainContainer(o).livenessProbe;
        },
        {
            reports: [
                'Deployment apps/fixture: container "app" has no livenessProbe (the kubelet restarts a hung process ' +
                    "only with one). Add it.",
            ],
        },
    ),
    "fail.sidecar-without-probes": stack(
        (o) => {
            addInit(deployment(o), "proxy").restartPolicy = "Always";
        },
        {
            reports: [
                'Deployment apps/fixture: init container "proxy" has no livenessProbe (the kubelet restarts a hung ' +
                    "process only with one) and no readinessProbe (required because Service fixture sends it traffic, " +
                    "which must wait until it is ready). Add both.",
            ],
        },
    ),
    "fail.service-targets-it-without-readiness": stack(
        (o) => {
            delete mainContainer(o).ports;
            delete mainContainer(o).readinessProbe;
        },
        {
            reports: [
                'Deployment apps/fixture: container "app" has no readinessProbe (required because Service fixture ' +
                    "sends it traffic, which must wait until it is ready). Add it.",
            ],
        },
    ),
    "fail.declares-a-port-without-readiness": stack(
        (o) => {
            withoutService(o);
            delete mainContainer(o).readinessProbe;
        },
        {
            reports: [
                'Deployment apps/fixture: container "app" has no readinessProbe (required because it declares ' +
                    "container port 8080, so it serves traffic). Add it.",
            ],
        },
    ),
    "fail.worker-without-readiness-when-required": stack(
        (o) => {
            withoutService(o);
            delete mainContainer(o).ports;
            delete mainContainer(o).readinessProbe;
        },
        {
            config: { readinessForWorkers: true },
            reports: [
                'Deployment apps/fixture: container "app" has no readinessProbe (required because this policy\'s ' +
                    "readinessForWorkers setting requires it on every long-running workload). Add it.",
            ],
        },
    ),
};
