// pss-proc-mount-restricted, "/proc mount type (restricted)": the rule's metadata and check.
import { restricted, unmaskedProc } from "../../lib/pod-security";
import { listContainers } from "../../lib/pod-spec";
import { podSpecRule } from "../../lib/rule";

export const procMountRestricted = podSpecRule(
    restricted({
        name: "pss-proc-mount-restricted",
        pssCheck: "procMount_restricted",
        title: "/proc mount type (restricted)",
        severity: "high",
        description:
            "Containers must keep the default /proc masks (procMount Default), even in a pod with its own user namespace (a Pod " +
            "Security check since v1.35).",
        remediation: "Remove securityContext.procMount or set it to Default.",
    }),
    {
        check({ pod, report }) {
            const bad = unmaskedProc(pod.spec);
            if (bad.length > 0) {
                report(`${listContainers(bad)} set securityContext.procMount to a non-default type. Remove it or set Default.`);
            }
        },
    },
);
