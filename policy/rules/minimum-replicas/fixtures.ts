// minimum-replicas's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { stack, wrapPod, compliantPodSpec, type Cases } from "../../fixtures/fixture";
import { hpaOwned } from "../../fixtures/cluster";

export const cases: Cases = {
    "pass.default-minimum": stack(() => undefined, {}, 1),
    "pass.hpa-minimum-counts": stack((o) => hpaOwned(o, 2), { config: { minReplicas: 2 } }),
    "pass.exempted-single-instance": stack(
        () => undefined,
        {
            config: {
                minReplicas: 2,
                exemptions: [{ name: "fixture", kind: "Deployment", reason: "A single-writer process that cannot run twice." }],
            },
        },
        1,
    ),
    "fail.below-minimum": stack(() => undefined, { config: { minReplicas: 2 } }, 1),
    "fail.hpa-minimum-below": stack((o) => hpaOwned(o, 1), { config: { minReplicas: 2 } }),
    "fail.stateful-set-default-replicas": {
        objects: [{ ...wrapPod("StatefulSet", { spec: compliantPodSpec() }) }],
        config: { minReplicas: 3 },
    },
};
