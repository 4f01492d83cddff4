// minimum-replicas's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { hpaOwned } from "../../fixtures/cluster";
import { type Cases, compliantPodSpec, stack, wrapPod } from "../../fixtures/fixture";

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
    "fail.below-minimum": stack(
        () => undefined,
        {
            config: { minReplicas: 2 },
            reports: ["Deployment apps/fixture: it runs 1, below the minimum of 2. " + "Raise it to 2, or exempt it with a reason."],
        },
        1,
    ),
    "fail.hpa-minimum-below": stack((o) => hpaOwned(o, 1), {
        config: { minReplicas: 2 },
        reports: [
            "Deployment apps/fixture: its HPA's minReplicas is 1, below the minimum of 2. " + "Raise it to 2, or exempt it with a reason.",
        ],
    }),
    "fail.stateful-set-default-replicas": {
        objects: [{ ...wrapPod("StatefulSet", { spec: compliantPodSpec() }) }],
        config: { minReplicas: 3 },
        reports: ["StatefulSet apps/fixture: it runs 1, below the minimum of 3. " + "Raise it to 3, or exempt it with a reason."],
    },
};
