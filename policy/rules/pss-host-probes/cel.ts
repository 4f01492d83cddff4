// pss-host-probes as CEL for a ValidatingAdmissionPolicy (built by policy/admission/generate.ts), at the rule's defaults.
import { allContainers, type CelCheck } from "../../admission/cel";

const noHost = (h: string) => `(!has(${h}.host) || ${h}.host == '')`;

const handlerOk = (handler: string) =>
    `(!has(${handler}) || ((!has(${handler}.httpGet) || ${noHost(`${handler}.httpGet`)})` +
    ` && (!has(${handler}.tcpSocket) || ${noHost(`${handler}.tcpSocket`)})))`;

export const cel: CelCheck = {
    kinds: "pods",
    expression: allContainers(
        ["c.livenessProbe", "c.readinessProbe", "c.startupProbe"].map(handlerOk).join(" && ") +
            ` && (!has(c.lifecycle) || (${handlerOk("c.lifecycle.postStart")} && ${handlerOk("c.lifecycle.preStop")}))`,
    ),
    message: "Probes and lifecycle handlers must not set a host.",
};
