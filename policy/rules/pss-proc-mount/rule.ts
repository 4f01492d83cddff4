// pss-proc-mount, "/proc mount type (baseline)": the rule's metadata and check.
import { baseline, unmaskedProc } from "../../lib/pod-security";
import { inUserNamespace, listContainers } from "../../lib/pod-spec";
import { minorOf } from "../../lib/pss-checks";
import { podSpecRule } from "../../lib/rule";

export const procMount = podSpecRule(
    baseline({
        name: "pss-proc-mount",
        pssCheck: "procMount",
        title: "/proc mount type (baseline)",
        severity: "high",
        description:
            "Containers must keep the default /proc masks (procMount Default), except in a pod with its own user namespace " +
            "(hostUsers: false) since v1.35. Under the restricted profile pss-proc-mount-restricted reports instead (from v1.35).",
        remediation: "Remove securityContext.procMount or set it to Default, or run the pod in its own user namespace (hostUsers: false).",
    }),
    {
        check({ pod, config, report }) {
            if (minorOf(config.version) >= 35 && inUserNamespace(pod.spec)) {
                return;
            }
            const bad = unmaskedProc(pod.spec);
            if (bad.length > 0) {
                report(`${listContainers(bad)} set securityContext.procMount to a non-default type. Remove it or set Default.`);
            }
        },
    },
);
