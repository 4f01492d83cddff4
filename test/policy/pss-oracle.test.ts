// The pack's pss- rules against the real thing: k8s.io/pod-security-admission built into
// toolchain/pss-oracle. Every pod fixture and a few hundred generated variations, in every workload
// kind, at both levels and at the versions where checks change, must get the same verdict per check
// from the pack and from the library; every disagreement is printed and fails the test.
import * as assert from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { compliantContainer, compliantPodSpec, fixtures, type K8sObject, wrapPod } from "../../policy/fixtures";
import { POD_CARRYING_KINDS } from "../../policy/lib/pod-spec";
import { type CheckId, UPSTREAM_CHECKS } from "../../policy/lib/pss-checks";
import type { Rule } from "../../policy/lib/rule";
import { rules } from "../../policy/policies";
import { TOOLS_DIR } from "../helpers/tools-dir";
import { asResource, validateResource } from "../../harness/policy-host";
import type { ResourceValidationPolicy } from "@pulumi/policy";

const ORACLE = path.join(TOOLS_DIR, "bin", "pss-oracle");

/** Versions around every change of a check's behaviour, and latest. */
const VERSIONS = ["v1.18", "v1.21", "v1.24", "v1.30", "v1.33", "v1.34", "v1.36", "latest"];
const LEVELS = ["baseline", "restricted"] as const;

/** The rules that implement a pod-security-admission check, with that check's id. */
const pssRules = rules.filter(
    (r): r is Rule & { metadata: { pssCheck: NonNullable<Rule["metadata"]["pssCheck"]> } } => r.metadata.pssCheck !== undefined,
);

interface OracleCase {
    object: K8sObject;
    level: string;
    version: string;
    label: string;
}
interface OracleVerdict {
    error?: string;
    allowed: boolean;
    checks: Record<CheckId, { active: boolean; allowed: boolean; reason?: string; detail?: string }>;
}

function oracle(args: string[], input?: unknown): unknown {
    assert.ok(fs.existsSync(ORACLE), `${ORACLE} is missing: run scripts/toolchain/pss-oracle.sh (scripts/bootstrap builds it)`);
    const out = execFileSync(ORACLE, args, {
        input: input === undefined ? undefined : JSON.stringify(input),
        maxBuffer: 256 * 1024 * 1024,
    });
    return JSON.parse(out.toString());
}

/** Runs the pack's pss- rules and the library on every case; returns one line per disagreement. */
async function disagreements(cases: OracleCase[]): Promise<string[]> {
    const verdicts = oracle(
        [],
        cases.map(({ object, level, version }) => ({ object, level, version })),
    ) as OracleVerdict[];
    const lines: string[] = [];
    for (const [i, c] of cases.entries()) {
        const verdict = verdicts[i];
        if (verdict.error) {
            lines.push(`${c.label}: the oracle could not judge it: ${verdict.error}`);
            continue;
        }
        const resource = asResource(c.object);
        for (const rule of pssRules) {
            const check = verdict.checks[rule.metadata.pssCheck];
            const libraryForbids = check.active && !check.allowed;
            const found = await validateResource(rule.policy as ResourceValidationPolicy, resource, {
                profile: c.level,
                version: c.version,
            });
            if (found.length > 0 !== libraryForbids) {
                const libraryVerdict = libraryForbids
                    ? `forbids it (${check.reason}: ${check.detail})`
                    : check.active
                      ? "allows it"
                      : "is not in force";
                lines.push(
                    `${c.label} at ${c.level}/${c.version}: ${rule.metadata.name} ` +
                        `${found.length > 0 ? `reports "${found[0].message}"` : "reports nothing"}` +
                        ` but ${rule.metadata.pssCheck} ${libraryVerdict}`,
                );
            }
        }
    }
    return lines;
}

function assertAgreement(lines: string[], total: number): void {
    if (lines.length > 0) {
        console.log(
            `    ${lines.length} disagreements between the pack and pod-security-admission over ${total} cases:\n      ` +
                `${lines.slice(0, 60).join("\n      ")}`,
        );
    }
    assert.deepStrictEqual(lines, []);
}

/** Deterministic pseudo-random numbers (mulberry32), so a failing variation can be reproduced from its seed. */
function random(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

type Rand = () => number;
const pick = <T>(rand: Rand, values: readonly T[]): T => values[Math.floor(rand() * values.length)];

/** A container of the pod (adding an init or ephemeral one at times), its securityContext created if missing. */
function someContainer(spec: K8sObject, rand: Rand): K8sObject {
    const group = pick(rand, ["containers", "containers", "initContainers", "ephemeralContainers"]);
    if (!spec[group] || spec[group].length === 0) {
        const { livenessProbe: _l, readinessProbe: _r, ...plain } = compliantContainer(group === "initContainers" ? "init" : "debug");
        spec[group] = [plain];
    }
    const container = pick(rand, spec[group] as K8sObject[]);
    container.securityContext ??= {};
    return container;
}

const podContext = (spec: K8sObject): K8sObject => (spec.securityContext ??= {});
const maybe = <T>(rand: Rand, value: T): T | undefined => (rand() < 0.25 ? undefined : value);
const setOrDelete = (target: K8sObject, key: string, value: unknown) => {
    if (value === undefined) {
        delete target[key];
    } else {
        target[key] = value;
    }
};

/** Small changes to the fields the Pod Security checks read, including edge values (empty types, null). */
const MUTATIONS: ((spec: K8sObject, metadata: K8sObject, rand: Rand) => void)[] = [
    (s, _, r) => {
        podContext(s).windowsOptions = { hostProcess: pick(r, [true, false]) };
    },
    (s, _, r) => {
        someContainer(s, r).securityContext.windowsOptions = { hostProcess: pick(r, [true, false]) };
    },
    (s, _, r) => {
        s[pick(r, ["hostNetwork", "hostPID", "hostIPC"])] = pick(r, [true, false]);
    },
    (s, _, r) => {
        someContainer(s, r).securityContext.privileged = pick(r, [true, false]);
    },
    (s, _, r) => {
        const c = someContainer(s, r);
        c.securityContext.capabilities = {
            ...(rand01(r) ? { add: [pick(r, ["CHOWN", "NET_BIND_SERVICE", "SYS_ADMIN", "NET_RAW", "KILL"])] } : {}),
            ...(rand01(r) ? { drop: pick(r, [["ALL"], ["NET_RAW"], [], ["ALL", "NET_RAW"]]) } : {}),
        };
    },
    (s, _, r) => {
        delete someContainer(s, r).securityContext.capabilities;
    },
    (s, _, r) => {
        s.volumes.push(
            pick(r, [
                { name: "host", hostPath: { path: "/var/log" } },
                { name: "nfs", nfs: { server: "nfs", path: "/" } },
                { name: "img", image: { reference: "registry.example.com/team/model:1.0.0" } },
                { name: "bare" },
                { name: "cm", configMap: { name: "cm" } },
                { name: "git", gitRepo: { repository: "https://example.com/r.git" } },
                { name: "both", configMap: { name: "cm" }, hostPath: { path: "/" } },
                { name: "csi", csi: { driver: "x" } },
            ]),
        );
    },
    (s, _, r) => {
        const c = someContainer(s, r);
        c.ports = [{ containerPort: 8080, hostPort: pick(r, [0, 8080, 443]) }];
    },
    (s, _, r) => {
        const c = someContainer(s, r);
        const where = pick(r, ["livenessProbe", "readinessProbe", "startupProbe"]);
        c[where] = pick(r, [
            { httpGet: { port: 8080, host: pick(r, ["", "10.0.0.1"]) } },
            { tcpSocket: { port: 22, host: pick(r, ["", "example.com"]) } },
        ]);
    },
    (s, _, r) => {
        someContainer(s, r).lifecycle = {
            [pick(r, ["postStart", "preStop"])]: pick(r, [
                { httpGet: { port: 80, host: pick(r, ["", "example.com"]) } },
                { tcpSocket: { port: 80, host: "10.0.0.2" } },
            ]),
        };
    },
    (s, _, r) => {
        podContext(s).appArmorProfile = pick(r, [
            { type: "RuntimeDefault" },
            { type: "Localhost", localhostProfile: "p" },
            { type: "Unconfined" },
            {},
        ]);
    },
    (s, _, r) => {
        someContainer(s, r).securityContext.appArmorProfile = pick(r, [{ type: "RuntimeDefault" }, { type: "Unconfined" }, {}]);
    },
    (_s, m, r) => {
        m.annotations = {
            ...m.annotations,
            [`container.apparmor.security.beta.kubernetes.io/${pick(r, ["app", "init", "other"])}`]: pick(r, [
                "",
                "runtime/default",
                "unconfined",
                "localhost/x",
            ]),
        };
    },
    (s, _, r) => {
        const options = {
            type: pick(r, [undefined, "", "container_t", "container_engine_t", "spc_t"]),
            user: maybe(r, pick(r, ["", "system_u"])),
            role: maybe(r, pick(r, ["", "system_r"])),
        };
        const target = rand01(r) ? podContext(s) : someContainer(s, r).securityContext;
        target.seLinuxOptions = JSON.parse(JSON.stringify(options));
    },
    (s, _, r) => {
        someContainer(s, r).securityContext.procMount = pick(r, ["Unmasked", "Default"]);
    },
    (s, _, r) => {
        s.hostUsers = pick(r, [false, true]);
    },
    (s, _, r) => {
        setOrDelete(
            podContext(s),
            "seccompProfile",
            pick(r, [undefined, { type: "RuntimeDefault" }, { type: "Localhost", localhostProfile: "p.json" }, { type: "Unconfined" }, {}]),
        );
    },
    (s, _, r) => {
        setOrDelete(
            someContainer(s, r).securityContext,
            "seccompProfile",
            pick(r, [undefined, { type: "RuntimeDefault" }, { type: "Unconfined" }, {}]),
        );
    },
    (_s, m, r) => {
        const key = rand01(r)
            ? "seccomp.security.alpha.kubernetes.io/pod"
            : `container.seccomp.security.alpha.kubernetes.io/${pick(r, ["app", "init", "debug"])}`;
        m.annotations = { ...m.annotations, [key]: pick(r, ["", "runtime/default", "docker/default", "unconfined", "localhost/p"]) };
    },
    (s, _, r) => {
        podContext(s).sysctls = [
            pick(r, [
                "kernel.shm_rmid_forced",
                "net.ipv4.ip_local_reserved_ports",
                "net.ipv4.tcp_keepalive_time",
                "net.ipv4.tcp_rmem",
                "net.ipv4.tcp_slow_start_after_idle",
                "net.ipv4.tcp_notsent_lowat",
                "kernel.msgmax",
                "net.core.somaxconn",
            ]),
        ].map((name) => ({ name, value: "1" }));
    },
    (s, _, r) => {
        setOrDelete(someContainer(s, r).securityContext, "allowPrivilegeEscalation", pick(r, [undefined, true, false]));
    },
    (s, _, r) => {
        setOrDelete(podContext(s), "runAsNonRoot", pick(r, [undefined, true, false]));
    },
    (s, _, r) => {
        setOrDelete(someContainer(s, r).securityContext, "runAsNonRoot", pick(r, [undefined, true, false]));
    },
    (s, _, r) => {
        setOrDelete(podContext(s), "runAsUser", pick(r, [undefined, 0, 1000]));
    },
    (s, _, r) => {
        setOrDelete(someContainer(s, r).securityContext, "runAsUser", pick(r, [undefined, 0, 1000]));
    },
    (s, _, r) => {
        s.os = { name: pick(r, ["windows", "linux"]) };
    },
    (s, _, r) => {
        delete someContainer(s, r).securityContext;
    },
    (s) => {
        delete s.securityContext;
    },
];

function rand01(rand: Rand): boolean {
    return rand() < 0.5;
}

/** A compliant pod with one to four random mutations. */
function variation(rand: Rand): { metadata: K8sObject; spec: K8sObject } {
    const spec = compliantPodSpec();
    const metadata: K8sObject = { labels: { app: "variation" } };
    const count = 1 + Math.floor(rand() * 4);
    for (let i = 0; i < count; i++) {
        pick(rand, MUTATIONS)(spec, metadata, rand);
    }
    return { metadata, spec };
}

describe("the pss- rules against k8s.io/pod-security-admission (toolchain/pss-oracle)", function () {
    this.timeout(600_000);

    it("map one to one onto the library's checks, with its levels, versions and overrides", () => {
        const upstream = oracle(["--checks"]) as { id: string; level: string; versions: { minimum: string; overrides?: string[] }[] }[];
        const ours = Object.entries(UPSTREAM_CHECKS)
            .map(([id, check]) => ({
                id,
                level: check.level,
                versions: check.versions.map((minor) => ({
                    minimum: `v1.${minor}`,
                    ...(check.overrides ? { overrides: [...check.overrides] } : {}),
                })),
            }))
            .sort((a, b) => (a.id < b.id ? -1 : 1));
        assert.deepStrictEqual(ours, upstream);
        assert.deepStrictEqual(pssRules.map((r) => r.metadata.pssCheck).sort(), upstream.map((c) => c.id).sort());
    });

    it("agree with the library on every pod fixture, in every workload kind, at both levels", async () => {
        const cases: OracleCase[] = [];
        for (const [rule, ruleCases] of Object.entries(fixtures)) {
            for (const [name, fixture] of Object.entries(ruleCases)) {
                if (!fixture.pod) {
                    continue;
                }
                const version = (fixture.config?.version as string | undefined) ?? "latest";
                for (const kind of POD_CARRYING_KINDS.filter((k) => fixture.onlyIn?.includes(k) ?? true)) {
                    for (const level of LEVELS) {
                        cases.push({
                            object: wrapPod(kind, structuredClone(fixture.pod)),
                            level,
                            version,
                            label: `${rule} ${name} in a ${kind}`,
                        });
                    }
                }
            }
        }
        assertAgreement(await disagreements(cases), cases.length);
    });

    it("agree with the library on generated variations in every workload kind, level and version", async () => {
        const seed = Number(process.env.PSS_ORACLE_SEED ?? 1337);
        const count = Number(process.env.PSS_ORACLE_VARIATIONS ?? 400);
        const rand = random(seed);
        const cases: OracleCase[] = [];
        for (let i = 0; i < count; i++) {
            const pod = variation(rand);
            const kind = POD_CARRYING_KINDS[i % POD_CARRYING_KINDS.length];
            const label = `variation ${i} (seed ${seed}) in a ${kind}: ${JSON.stringify(pod)}`;
            for (const level of LEVELS) {
                cases.push({ object: wrapPod(kind, structuredClone(pod), "variation"), level, version: pick(rand, VERSIONS), label });
            }
        }
        const kinds = new Set(cases.map((c) => c.object.kind));
        assert.deepStrictEqual([...kinds].sort(), [...POD_CARRYING_KINDS].sort());
        assertAgreement(await disagreements(cases), cases.length);
    });
});
