// The ValidatingAdmissionPolicies generated from the catalogue (policy/admission) on the real API server
// of the local cluster: every default-config fixture, in every workload kind, is sent to the API server
// (server-side dry run) and its verdict per rule compared with the pack's; the agreement table is printed.
// Then, with the prod config's levels, a mandatory rule rejects a `kubectl apply` outright.
import * as assert from "node:assert";
import { spawnSync } from "node:child_process";
import * as https from "node:https";
import { CEL_CHECKS, POD_KINDS } from "../../policy/admission/cel-checks";
import { admissionPolicies } from "../../policy/admission/generate";
import { fixtures, type K8sObject, wrapPod } from "../../policy/fixtures";
import { rules } from "../../policy/policies";
import { asResource, runPolicy } from "../../harness/policy-host";
import { packConfig } from "../../harness/platform";
import { KUBECONFIG, kubectl, requireLocalCluster } from "./helpers";

const NAMESPACE = "vap-e2e";

/** kubectl with the objects on stdin. */
function kubectlWith(args: string[], objects: unknown) {
    const result = spawnSync("kubectl", ["--kubeconfig", KUBECONFIG, ...args, "-f", "-"], {
        input: JSON.stringify(objects),
        encoding: "utf8",
    });
    return { status: result.status ?? -1, stdout: result.stdout ?? "", stderr: result.stderr ?? String(result.error ?? "") };
}

interface Cluster {
    server: URL;
    agent: https.Agent;
}

function cluster(): Cluster {
    const config = JSON.parse(kubectl(["config", "view", "--raw", "--minify", "--flatten", "-o", "json"]).stdout);
    const data = (value: string | undefined) => (value ? Buffer.from(value, "base64") : undefined);
    const user = config.users[0].user;
    return {
        server: new URL(config.clusters[0].cluster.server),
        agent: new https.Agent({
            ca: data(config.clusters[0].cluster["certificate-authority-data"]),
            cert: data(user["client-certificate-data"]),
            key: data(user["client-key-data"]),
            keepAlive: true,
        }),
    };
}

const PLURAL: Record<string, { path: string }> = Object.fromEntries([
    ...Object.entries(POD_KINDS).map(([kind, r]) => [
        kind,
        { path: `${r.group ? `/apis/${r.group}` : "/api"}/${r.version}/namespaces/${NAMESPACE}/${r.resource}` },
    ]),
    ["Service", { path: `/api/v1/namespaces/${NAMESPACE}/services` }],
]);

/** An object whose verdict shows that a policy is in effect. */
interface Probe {
    awaited: string;
    object: K8sObject;
    expect: (a: Answer) => boolean;
}

interface Answer {
    status: number;
    warnings: string[];
    message: string;
}

/** POSTs the object with dryRun=All and returns the status, the Warning headers and any error message. */
function dryRun(c: Cluster, object: K8sObject): Promise<Answer> {
    const body = JSON.stringify({ ...object, metadata: { ...object.metadata, namespace: NAMESPACE } });
    const url = new URL(`${PLURAL[object.kind].path}?dryRun=All&fieldValidation=Ignore`, c.server);
    return new Promise((resolve, reject) => {
        const request = https.request(
            url,
            { method: "POST", agent: c.agent, headers: { "content-type": "application/json" } },
            (response) => {
                let text = "";
                response.on("data", (chunk) => {
                    text += chunk;
                });
                response.on("end", () => {
                    const header = response.headers.warning;
                    const warnings = (Array.isArray(header) ? header : header ? [header] : []).flatMap((w) => w.split(/,(?=\s*299 )/));
                    let message = "";
                    try {
                        message = JSON.parse(text).message ?? "";
                    } catch {
                        message = text;
                    }
                    resolve({ status: response.statusCode ?? 0, warnings, message });
                });
            },
        );
        request.on("error", reject);
        request.end(body);
    });
}

/** The objects each default-config fixture stands for that the CEL rules look at. */
function cases(): { label: string; object: K8sObject }[] {
    const out: { label: string; object: K8sObject }[] = [];
    for (const [rule, ruleCases] of Object.entries(fixtures)) {
        for (const [name, fixture] of Object.entries(ruleCases)) {
            if (fixture.config !== undefined) {
                continue; // the generated policies state the rules at their default settings
            }
            if (fixture.pod) {
                for (const kind of Object.keys(POD_KINDS).filter((k) => fixture.onlyIn?.includes(k) ?? true)) {
                    out.push({
                        label: `${rule} ${name} in a ${kind}`,
                        object: wrapPod(kind, structuredClone(fixture.pod), `case-${out.length}`),
                    });
                }
            } else {
                for (const object of fixture.objects ?? []) {
                    if (object.kind === "Service") {
                        out.push({
                            label: `${rule} ${name}: Service`,
                            object: { ...structuredClone(object), metadata: { ...object.metadata, name: `case-${out.length}` } },
                        });
                    }
                }
            }
        }
    }
    return out;
}

describe("the generated ValidatingAdmissionPolicies on the local cluster's API server", function () {
    this.timeout(900_000);
    let c: Cluster;

    before(() => {
        requireLocalCluster();
        c = cluster();
        kubectl(["create", "namespace", NAMESPACE], { mayFail: true });
        // Pod Security admission off here, so only the generated policies judge the objects.
        kubectl(["label", "--overwrite", "namespace", NAMESPACE, "pod-security.kubernetes.io/enforce=privileged"]);
    });

    after(() => {
        kubectl(
            [
                "delete",
                "validatingadmissionpolicies,validatingadmissionpolicybindings",
                "-l",
                "app.kubernetes.io/part-of=vap-e2e",
                "--wait=false",
            ],
            { mayFail: true },
        );
        kubectl(["delete", "namespace", NAMESPACE, "--wait=false"], { mayFail: true });
    });

    /** Applies the policies and waits until every probe gets its expected verdict. */
    async function apply(objects: K8sObject[], probes: Probe[]): Promise<void> {
        const result = kubectlWith(["apply"], { apiVersion: "v1", kind: "List", items: objects });
        assert.strictEqual(result.status, 0, result.stderr);
        // Each binding takes effect once the API server's policy informer has it, one by one: a check on one
        // rule says nothing of the others (a CI run judged the table with two rules not loaded yet).
        const deadline = Date.now() + 60_000;
        for (const probe of probes) {
            while (!probe.expect(await dryRun(c, probe.object))) {
                assert.ok(Date.now() < deadline, `no verdict from the API server in 60 s: ${probe.awaited}`);
                await new Promise((resolve) => setTimeout(resolve, 500));
            }
        }
    }

    /**
     * For every rule, the first case the pack reports for it that the API server admits as an object (Warn
     * never refuses): once that rule's binding is in effect, the API server warns for it there. A rule with
     * no such case (its failing fixtures are invalid pods, e.g. privileged with allowPrivilegeEscalation
     * false) cannot be misjudged by a binding not loaded yet, so it needs no probe.
     */
    async function oneViolationPerRule(celRules: typeof rules) {
        const probes: Probe[] = [];
        const candidates = cases();
        for (const rule of celRules) {
            for (const { label, object } of candidates) {
                if ((await runPolicy(rule.policy, [asResource(object)])).length > 0 && (await dryRun(c, object)).status < 300) {
                    probes.push({
                        awaited: `${rule.metadata.name} warns for ${label}`,
                        object,
                        expect: (a) => a.warnings.some((w) => w.includes(`${rule.metadata.name}:`)),
                    });
                    break;
                }
            }
        }
        return probes;
    }

    it("warn exactly where the pack reports, rule by rule, for every default-config fixture (agreement table)", async () => {
        const policies = admissionPolicies({ namespaces: [NAMESPACE], prefix: "vap-e2e", actions: ["Warn"] });
        const celRules = rules.filter((r) => CEL_CHECKS[r.metadata.name]);
        await apply(policies, await oneViolationPerRule(celRules));

        const table = new Map<string, { agree: number; disagree: number; notApplicable: number }>();
        const disagreements: string[] = [];
        for (const { label, object } of cases()) {
            const answer = await dryRun(c, object);
            for (const rule of celRules) {
                const row = table.get(rule.metadata.name) ?? { agree: 0, disagree: 0, notApplicable: 0 };
                table.set(rule.metadata.name, row);
                if (answer.status >= 300) {
                    row.notApplicable++; // the API server refuses the object itself (e.g. ephemeral containers on create)
                    continue;
                }
                const packReports = (await runPolicy(rule.policy, [asResource(object)])).length > 0;
                const clusterWarns = answer.warnings.some((w) => w.includes(`${rule.metadata.name}:`));
                if (packReports === clusterWarns) {
                    row.agree++;
                } else {
                    row.disagree++;
                    disagreements.push(
                        `${label}: ${rule.metadata.name} pack ${packReports ? "reports" : "accepts"}, ` +
                            `API server ${clusterWarns ? "warns" : "accepts"}`,
                    );
                }
            }
        }
        console.log("    rule                              agree  disagree  refused by the API server itself");
        for (const [rule, row] of table) {
            console.log(
                `    ${rule.padEnd(34)}${String(row.agree).padStart(5)}  ` +
                    `${String(row.disagree).padStart(8)}  ${String(row.notApplicable).padStart(6)}`,
            );
        }
        if (disagreements.length > 0) {
            console.log(`      ${disagreements.slice(0, 40).join("\n      ")}`);
        }
        assert.ok(
            [...table.values()].every((row) => row.agree > 0),
            "every rule was judged on some fixture",
        );
        assert.deepStrictEqual(disagreements, []);
    });

    it("with prod's levels, rejects a root pod applied with kubectl and admits a compliant one", async () => {
        const policies = admissionPolicies({ namespaces: [NAMESPACE], prefix: "vap-e2e", packConfig: packConfig("prod") });
        // The compliant pod running as root, so pss-run-as-user is the one policy that denies it.
        const pod = structuredClone(fixtures["pss-run-as-user"]["pass.non-zero-uid"].pod!);
        pod.spec.containers[0].securityContext.runAsUser = 0;
        const root = wrapPod("Pod", pod, "denied", NAMESPACE);
        await apply(policies, [
            {
                awaited: "pss-run-as-user denies a root pod",
                object: root,
                expect: (a) => a.status >= 400 && a.message.includes("pss-run-as-user"),
            },
        ]);
        const denied = kubectlWith(["apply", "--dry-run=server", "-n", NAMESPACE], root);
        assert.notStrictEqual(denied.status, 0);
        assert.match(denied.stderr, /pss-run-as-user: Pods and containers must not set runAsUser=0/);
        const compliant = wrapPod(
            "Deployment",
            structuredClone(fixtures["pss-privileged"]["pass.privileged-false"].pod!),
            "admitted",
            NAMESPACE,
        );
        const admitted = kubectlWith(["apply", "--dry-run=server", "-n", NAMESPACE], compliant);
        assert.strictEqual(admitted.status, 0, admitted.stderr);
    });
});
