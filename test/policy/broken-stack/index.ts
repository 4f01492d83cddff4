// A deliberately broken program: `pulumi preview --policy-pack ../../../policy` must fail on it with the
// violations listed in objects.ts. Uses the ambient kubeconfig (KUBECONFIG), like kubectl.
import * as k8s from "@pulumi/kubernetes";
import { exposedService, privilegedPod } from "./objects";

new k8s.core.v1.Pod("broken-pod", privilegedPod);
new k8s.core.v1.Service("broken-service", exposedService);
