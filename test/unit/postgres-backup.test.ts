import * as assert from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { parseConfig } from "../../config";
import { cronProblem } from "../../config/backup";
import {
    BACKUP_DIR,
    BACKUP_SCRIPT,
    BACKUP_WAIT_SECONDS,
    backupClaimName,
    backupCronJobSpec,
    RESTORE_POD,
    restorePodManifest,
} from "../../components/postgres/backup";
import { clientServiceName } from "../../components/datastore/create";
import { POSTGRES_PORT, POSTGRES_UID } from "../../components/postgres/component";
import { buildStack } from "../../stack";
import { itRejectsEach } from "../helpers/config-problems";
import { mockGeneratedValue, ofType, recordResources } from "../helpers/mocks";
import { REPO_ROOT, stackConfig } from "../helpers/stack-config";

const jobArgs = {
    image: "example.com/postgres:15",
    env: [{ name: "PGPASSWORD", valueFrom: { secretKeyRef: { name: "postgres-credentials", key: "password" } } }],
    keep: 7,
    claimName: "postgres-backups",
    uid: POSTGRES_UID,
    schedule: "0 3 * * *",
};

describe("postgres backup CronJob spec", () => {
    const spec = backupCronJobSpec(jobArgs) as any;
    const pod = spec.jobTemplate.spec.template.spec;
    const [container] = pod.containers;

    it("runs on its schedule in UTC, never two at once, and skips a run missed by more than an hour", () => {
        assert.deepStrictEqual(
            {
                schedule: spec.schedule,
                timeZone: spec.timeZone,
                concurrencyPolicy: spec.concurrencyPolicy,
                deadline: spec.startingDeadlineSeconds,
            },
            { schedule: "0 3 * * *", timeZone: "Etc/UTC", concurrencyPolicy: "Forbid", deadline: 3600 },
        );
        assert.strictEqual(pod.restartPolicy, "Never");
    });

    it("runs pg_dump as the image's non-root user on a read-only root, writing only to the backups' claim and /tmp", () => {
        assert.deepStrictEqual(
            [pod.securityContext.runAsUser, pod.securityContext.runAsNonRoot, pod.securityContext.seccompProfile.type],
            [POSTGRES_UID, true, "RuntimeDefault"],
        );
        assert.strictEqual(pod.automountServiceAccountToken, false);
        assert.deepStrictEqual(container.securityContext.capabilities, { drop: ["ALL"] });
        assert.strictEqual(container.securityContext.readOnlyRootFilesystem, true);
        assert.strictEqual(container.securityContext.allowPrivilegeEscalation, false);
        const claimVolume = pod.volumes.find((v: any) => v.persistentVolumeClaim);
        assert.strictEqual(claimVolume.persistentVolumeClaim.claimName, "postgres-backups");
        assert.deepStrictEqual(container.volumeMounts.map((m: any) => m.mountPath).sort(), [BACKUP_DIR, "/tmp"].sort());
    });

    it("hands the script its retention through the environment, and the password only as a secretKeyRef", () => {
        const env = Object.fromEntries(container.env.map((e: any) => [e.name, e]));
        assert.strictEqual(env.BACKUP_KEEP.value, "7");
        assert.strictEqual(env.PGPASSWORD.value, undefined);
        assert.deepStrictEqual(env.PGPASSWORD.valueFrom.secretKeyRef, { name: "postgres-credentials", key: "password" });
        assert.ok(!JSON.stringify(container.command).includes("PGPASSWORD="));
    });
});

describe("the backup script (with a stand-in pg_dump on PATH)", () => {
    let dir: string;
    let bin: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "backup-script-"));
        bin = path.join(dir, "bin");
        fs.mkdirSync(bin);
        fs.mkdirSync(path.join(dir, "backups"));
        // Writes its --file like pg_dump, records its arguments; FAIL_DUMP makes it die half-way.
        fs.writeFileSync(
            path.join(bin, "pg_dump"),
            `#!/bin/bash
echo "$@" >>"${dir}/args.log"
for a in "$@"; do case "$a" in --file=*) f="\${a#--file=}" ;; esac; done
printf 'PGDMP' >"$f"
if [[ -n "\${FAIL_DUMP:-}" ]]; then echo "pg_dump: error: connection refused" >&2; exit 1; fi
printf ' dump of %s' "$PGDATABASE" >>"$f"
`,
            { mode: 0o755 },
        );
        // Refuses as many times as the file "refusals" says (the database starting, the policy not there yet).
        fs.writeFileSync(
            path.join(bin, "pg_isready"),
            `#!/bin/bash
n=$(cat "${dir}/refusals" 2>/dev/null || echo 0)
if (( n > 0 )); then echo $((n - 1)) >"${dir}/refusals"; exit 2; fi
`,
            { mode: 0o755 },
        );
        // The script's waits, without the waiting.
        fs.writeFileSync(path.join(bin, "sleep"), "#!/bin/bash\n", { mode: 0o755 });
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const backups = () => fs.readdirSync(path.join(dir, "backups")).sort();
    const run = (extra: Record<string, string> = {}) =>
        spawnSync("bash", ["-c", BACKUP_SCRIPT], {
            encoding: "utf8",
            env: {
                PATH: `${bin}:${process.env.PATH}`,
                BACKUP_DIR: path.join(dir, "backups"),
                BACKUP_KEEP: "3",
                PGDATABASE: "blog",
                PGPASSWORD: "not-in-any-argument",
                ...extra,
            },
        });
    const older = ["blog-20250101T030000Z.dump", "blog-20250102T030000Z.dump", "blog-20250103T030000Z.dump", "blog-20250104T030000Z.dump"];

    it("writes a whole dump named by its UTC time, then keeps only the newest BACKUP_KEEP", () => {
        for (const name of older) {
            fs.writeFileSync(path.join(dir, "backups", name), "old");
        }
        fs.writeFileSync(path.join(dir, "backups", "hand-made.dump"), "not ours");
        const result = run();
        assert.strictEqual(result.status, 0, result.stderr);
        const dumps = backups().filter((name) => name.startsWith("blog-"));
        assert.strictEqual(dumps.length, 3, dumps.join(", "));
        const newest = dumps[dumps.length - 1];
        assert.match(newest, /^blog-\d{8}T\d{6}Z\.dump$/);
        assert.deepStrictEqual(dumps.slice(0, 2), older.slice(2));
        assert.strictEqual(fs.readFileSync(path.join(dir, "backups", newest), "utf8"), "PGDMP dump of blog");
        assert.ok(backups().includes("hand-made.dump"), "a file not named like our dumps is left alone");
        assert.match(result.stdout, new RegExp(`backup ${newest}: 18 bytes`));
        assert.match(fs.readFileSync(path.join(dir, "args.log"), "utf8"), /--format=custom/);
        assert.doesNotMatch(fs.readFileSync(path.join(dir, "args.log"), "utf8"), /not-in-any-argument/);
    });

    it("fails without a file that looks like a backup and without pruning when pg_dump fails, and the next run clears the partial", () => {
        for (const name of older) {
            fs.writeFileSync(path.join(dir, "backups", name), "old");
        }
        const failed = run({ FAIL_DUMP: "1" });
        assert.notStrictEqual(failed.status, 0);
        assert.deepStrictEqual(
            backups().filter((name) => name.endsWith(".dump")),
            older,
        );
        assert.strictEqual(backups().filter((name) => name.endsWith(".partial")).length, 1);
        const next = run();
        assert.strictEqual(next.status, 0, next.stderr);
        assert.deepStrictEqual(
            backups().filter((name) => name.endsWith(".partial")),
            [],
        );
    });

    it("waits for the database to accept connections, and gives up with a message when it never does", () => {
        fs.writeFileSync(path.join(dir, "refusals"), "3");
        const late = run({ PGHOST: "db", PGPORT: "5432" });
        assert.strictEqual(late.status, 0, late.stderr);
        assert.match(late.stdout, /the database answered after 6 s/);
        fs.writeFileSync(path.join(dir, "refusals"), "1000");
        const never = run({ PGHOST: "db", PGPORT: "5432" });
        assert.notStrictEqual(never.status, 0);
        assert.match(never.stderr, new RegExp(`the database at db:5432 did not accept connections within ${BACKUP_WAIT_SECONDS} s`));
        assert.strictEqual(backups().filter((name) => name.endsWith(".dump")).length, 1, "only the first run dumped");
    });
});

describe("postgres.backup config", () => {
    it("is on by default in prod and off in dev, nightly at 03:00 UTC keeping a week", () => {
        const prod = parseConfig(stackConfig("prod")).postgres.backup;
        const dev = parseConfig(stackConfig("dev")).postgres.backup;
        assert.deepStrictEqual([prod.enabled, dev.enabled], [true, false]);
        assert.deepStrictEqual([dev.schedule, dev.keep], ["0 3 * * *", 7]);
    });

    it("takes the strings pulumi config set --path stores for its fields", () => {
        const backup = parseConfig(
            stackConfig("dev", { "blog:postgres": { backup: { enabled: "true", keep: "14", schedule: "@hourly", storageSize: "5Gi" } } }),
        ).postgres.backup;
        assert.deepStrictEqual(backup, { enabled: true, keep: 14, schedule: "@hourly", storageSize: "5Gi" });
    });

    it("accepts what the CronJob controller accepts and says why it refuses the rest", () => {
        for (const ok of ["0 3 * * *", "*/15 * * * *", "0 0 * * MON-FRI", "30 2 1,15 * ?", "@daily"]) {
            assert.strictEqual(cronProblem(ok), undefined, ok);
        }
        assert.match(cronProblem("61 * * * *") ?? "", /minute/);
        assert.match(cronProblem("0 0 0 * * *") ?? "", /6 fields/);
        assert.match(cronProblem("0 0 L * *") ?? "", /day of month field L/);
        assert.match(cronProblem("0 0 * * 5#2") ?? "", /day of week field 5#2/);
    });

    const raw = (backup: unknown) => stackConfig("dev", { "blog:postgres": { backup } });
    itRejectsEach<unknown>(
        [
            [
                "a schedule with a minute out of range",
                { schedule: "61 * * * *" },
                new RegExp(
                    String.raw`^blog:postgres\.backup\.schedule must be a cron schedule of five fields .*minute: 61 ` +
                        String.raw`\(got "61 \* \* \* \*"\)\. ` +
                        String.raw`Run: pulumi config set --path 'postgres\.backup\.schedule' '0 3 \* \* \*'\.$`,
                ),
            ],
            ["a retention of zero", { keep: 0 }, /^blog:postgres\.backup\.keep must be an integer from 1 to 100 \(got 0\)/],
            [
                "a retention that is not a number",
                { keep: "a week" },
                /^blog:postgres\.backup\.keep must be an integer from 1 to 100 \(got "a week"\)/,
            ],
            [
                "a claim size in MB",
                { storageSize: "500MB" },
                /^blog:postgres\.backup\.storageSize must be a memory quantity .*\(got "500MB"\)/,
            ],
            ["enabled that is not a boolean", { enabled: "yes" }, /^blog:postgres\.backup\.enabled must be true or false \(got "yes"\)/],
            [
                "a misspelt field",
                { kep: 3 },
                /^blog:postgres\.backup\.kep must be one of the fields of postgres\.backup .*Did you mean keep\?/,
            ],
        ],
        raw,
    );
});

describe("the backup in the platform (under mocks)", () => {
    const deploy = async (backup: Record<string, unknown>) => {
        const cfg = parseConfig(stackConfig("dev", { "blog:postgres": { storageSize: "1Gi", backup } }));
        return (await recordResources(() => buildStack(cfg))).resources.filter((r) => !r.name.startsWith("monitoring"));
    };

    it("creates nothing for the backup when it is off", async () => {
        const resources = await deploy({ enabled: false });
        assert.strictEqual(ofType(resources, "CronJob").length, 0);
        assert.ok(!ofType(resources, "NetworkPolicy").some((p) => p.inputs.metadata.name === "postgres-backup"));
    });

    it("dumps to a claim of its own, reaching only the database (and DNS), which admits it", async () => {
        const resources = await deploy({ enabled: true, schedule: "15 1 * * *", keep: 4, storageSize: "3Gi" });
        const [cronJob] = ofType(resources, "CronJob");
        assert.strictEqual(cronJob.inputs.spec.schedule, "15 1 * * *");
        const claim = ofType(resources, "PersistentVolumeClaim").find((c) => c.inputs.metadata.name === backupClaimName("postgres"));
        assert.strictEqual(claim?.inputs.spec.resources.requests.storage, "3Gi");
        const [container] = cronJob.inputs.spec.jobTemplate.spec.template.spec.containers;
        assert.strictEqual(container.env.find((e: any) => e.name === "BACKUP_KEEP").value, "4");
        assert.match(container.env.find((e: any) => e.name === "PGHOST").value, /^postgres-rw\./);

        const policies = ofType(resources, "NetworkPolicy");
        const backup = policies.find((p) => p.inputs.metadata.name === "postgres-backup")?.inputs.spec;
        assert.deepStrictEqual(backup.ingress, []);
        const peersOf = (rule: any) =>
            (rule.to ?? []).map((peer: any) => peer.podSelector?.matchLabels?.["app.kubernetes.io/name"] ?? "dns");
        assert.deepStrictEqual(
            backup.egress.map((rule: any) => `${peersOf(rule).join("+")}:${rule.ports.map((p: any) => p.port).join(",")}`),
            ["dns:53", "dns:53", `postgres:${POSTGRES_PORT}`],
        );
        const postgres = policies.find((p) => p.inputs.metadata.name === "postgres")?.inputs.spec;
        assert.ok(
            postgres.ingress.some((rule: any) =>
                rule.from?.some((peer: any) => peer.podSelector?.matchLabels?.["app.kubernetes.io/name"] === "postgres-backup"),
            ),
        );
    });

    it("never puts the generated database password into the CronJob", async () => {
        const resources = await deploy({ enabled: true });
        const password = mockGeneratedValue("postgres-credentials-password");
        assert.ok(
            resources.some((r) => JSON.stringify(r.inputs).includes(password)),
            "the mock password reaches the Secret",
        );
        for (const r of [
            ...ofType(resources, "CronJob"),
            ...ofType(resources, "NetworkPolicy"),
            ...ofType(resources, "PersistentVolumeClaim"),
        ]) {
            assert.ok(!JSON.stringify(r.inputs).includes(password), r.name);
        }
    });
});

describe("the restore runbook (docs/backup.md)", () => {
    it("shows the restore pod the drill uses, so the two cannot drift apart", () => {
        const doc = fs.readFileSync(path.join(REPO_ROOT, "docs", "backup.md"), "utf8");
        const block = /```yaml\n# restore-pod\.yaml\n([\s\S]*?)```/.exec(doc);
        assert.ok(block, "docs/backup.md has a ```yaml block starting with # restore-pod.yaml");
        const documented = yaml.load(block[1].replaceAll("${IMAGE}", "example.com/postgres:15"));
        const built = restorePodManifest({
            image: "example.com/postgres:15",
            host: clientServiceName("postgres"),
            port: POSTGRES_PORT,
            secretName: "postgres-credentials",
            claimName: backupClaimName("postgres"),
            uid: POSTGRES_UID,
        });
        assert.strictEqual(built.metadata.name, RESTORE_POD);
        assert.deepStrictEqual(documented, JSON.parse(JSON.stringify(built)));
    });
});
