// pss-app-armor, "AppArmor": the rule's metadata and check.
import { baseline, profileTypeAllowed, reportProfileTypes } from "../../lib/pod-security";
import { podSpecRule } from "../../lib/rule";
import { at, entries, isKnown, show, UNKNOWN } from "../../lib/values";

const APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

export const appArmor = podSpecRule(
    baseline({
        name: "pss-app-armor",
        pssCheck: "appArmorProfile",
        title: "AppArmor",
        severity: "high",
        description:
            "Pods must not disable or override the default AppArmor profile: appArmorProfile.type and the beta annotations allow " +
            "only RuntimeDefault and Localhost profiles.",
        remediation:
            "Remove appArmorProfile (or set type RuntimeDefault or Localhost) and remove AppArmor annotations other than " +
            "runtime/default and localhost/<profile>.",
    }),
    {
        check({ pod, report }) {
            reportProfileTypes(pod, "appArmorProfile", profileTypeAllowed, report);
            const annotations = entries(at(pod.metadata, "annotations"));
            if (annotations === UNKNOWN) {
                return;
            }
            for (const [key, value] of annotations) {
                if (
                    key.startsWith(APPARMOR_ANNOTATION_PREFIX) &&
                    isKnown(value) &&
                    value !== "" &&
                    value !== "runtime/default" &&
                    !String(value).startsWith("localhost/")
                ) {
                    report(
                        `the annotation ${key}=${show(value)} overrides AppArmor. Remove it or use runtime/default or localhost/<profile>.`,
                    );
                }
            }
        },
    },
);
