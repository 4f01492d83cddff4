// network-default-deny's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { stack, find, type Cases } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.default-deny-present": stack(),
    "fail.no-default-deny": stack((o) => {
        o.splice(o.indexOf(find(o, "NetworkPolicy", "default-deny")), 1);
    }),
    "fail.deny-ingress-only": stack((o) => {
        find(o, "NetworkPolicy", "default-deny").spec.policyTypes = ["Ingress"];
    }),
    "fail.empty-selector-allowing-all": stack((o) => {
        find(o, "NetworkPolicy", "default-deny").spec.ingress = [{}];
    }),
};
