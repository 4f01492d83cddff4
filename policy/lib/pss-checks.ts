// The Pod Security checks of k8s.io/pod-security-admission v0.37 (Kubernetes v1.37) as data: each
// check's upstream ID, level, the minor versions where its behaviour changes and the baseline checks it
// overrides. Which pss- rule runs, and which variant of it, is decided here from the configured version,
// exactly as the library's check registry decides it; test/policy/pss-oracle.test.ts compares this
// table with the library's own.

/** The newest Kubernetes minor version the pack knows; "latest" means it, as in the library. */
/** A Pod Security Standards profile the pack enforces (privileged enforces nothing, so it is not one). */
export type Profile = "baseline" | "restricted";

export const LATEST_MINOR = 37;

export type CheckId =
    | "windowsHostProcess"
    | "hostNamespaces"
    | "privileged"
    | "capabilities_baseline"
    | "hostPathVolumes"
    | "hostPorts"
    | "hostProbesAndHostLifecycle"
    | "appArmorProfile"
    | "seLinuxOptions"
    | "procMount"
    | "seccompProfile_baseline"
    | "sysctls"
    | "restrictedVolumes"
    | "allowPrivilegeEscalation"
    | "runAsNonRoot"
    | "runAsUser"
    | "seccompProfile_restricted"
    | "capabilities_restricted"
    | "procMount_restricted";

export interface UpstreamCheck {
    level: Profile;
    /** Minor versions (of 1.x) at which a variant of the check starts; the first is when it appears. */
    versions: readonly number[];
    /** Baseline checks a restricted check replaces, from its first version on. */
    overrides?: readonly CheckId[];
}

export const UPSTREAM_CHECKS: Readonly<Record<CheckId, UpstreamCheck>> = {
    windowsHostProcess: { level: "baseline", versions: [0] },
    hostNamespaces: { level: "baseline", versions: [0] },
    privileged: { level: "baseline", versions: [0] },
    capabilities_baseline: { level: "baseline", versions: [0] },
    hostPathVolumes: { level: "baseline", versions: [0] },
    hostPorts: { level: "baseline", versions: [0] },
    hostProbesAndHostLifecycle: { level: "baseline", versions: [34] },
    appArmorProfile: { level: "baseline", versions: [0] },
    seLinuxOptions: { level: "baseline", versions: [0, 31] },
    procMount: { level: "baseline", versions: [0, 35] },
    seccompProfile_baseline: { level: "baseline", versions: [0, 19] },
    sysctls: { level: "baseline", versions: [0, 27, 29, 32, 37] },
    restrictedVolumes: { level: "restricted", versions: [0], overrides: ["hostPathVolumes"] },
    allowPrivilegeEscalation: { level: "restricted", versions: [8, 25] },
    runAsNonRoot: { level: "restricted", versions: [0, 35] },
    runAsUser: { level: "restricted", versions: [23, 35] },
    seccompProfile_restricted: { level: "restricted", versions: [19, 25], overrides: ["seccompProfile_baseline"] },
    capabilities_restricted: { level: "restricted", versions: [22, 25], overrides: ["capabilities_baseline"] },
    procMount_restricted: { level: "restricted", versions: [35], overrides: ["procMount"] },
};

export const VERSION_PATTERN = "^(latest|v1\\.(0|[1-9][0-9]*))$";

/** The minor version a `version` setting names ("latest" or "v1.N"); newer than the pack knows means latest. */
export function minorOf(version: string): number {
    if (version === "latest") {
        return LATEST_MINOR;
    }
    const minor = Number(/^v1\.(\d+)$/.exec(version)?.[1]);
    return Number.isInteger(minor) ? Math.min(minor, LATEST_MINOR) : LATEST_MINOR;
}

/** Whether a check runs for a profile at a minor version: its level, its first version, and overrides. */
export function checkInForce(id: CheckId, profile: Profile, minor: number): boolean {
    const check = UPSTREAM_CHECKS[id];
    if (check.level === "restricted" && profile !== "restricted") {
        return false;
    }
    if (minor < check.versions[0]) {
        return false;
    }
    if (profile === "restricted" && check.level === "baseline") {
        return !Object.entries(UPSTREAM_CHECKS).some(
            ([other, c]) => c.overrides?.includes(id) && checkInForce(other as CheckId, profile, minor),
        );
    }
    return true;
}
