// The database's scheduled logical backup: a CronJob that runs pg_dump (custom format) from the postgres
// image into a claim of its own, one file per run named by its UTC time, keeping the newest N.
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { commonLabels, selectorLabels } from "../shared/labels";
import { type ResourceSpec, resourceSpec } from "../shared/resources";
import { POSTGRES_BACKUP_WORKLOAD } from "../shared/topology";
import { hardenedContainer, type JobLimits, jobSpec, podTemplate, secretEnv, TMP } from "../shared/workload";

type EnvVar = k8s.types.input.core.v1.EnvVar;

/** How the backup runs: the fields of the stack key postgres.backup (config/backup.ts validates them). */
export interface PostgresBackupArgs {
    /** Five-field cron schedule, evaluated in UTC (the CronJob's timeZone). */
    schedule: string;
    /** How many dumps stay on the claim; older ones are deleted after each successful dump. */
    keep: number;
    /** Size of the backups' claim. */
    storageSize: string;
    /** @default the cluster's default StorageClass */
    storageClass?: string;
}

/** Where the backups' claim is mounted in the backup pod (and in a restore pod, docs/backup.md). */
export const BACKUP_DIR = "/backups";
/** The backups' claim: `<database store's name>-backups`. */
export const backupClaimName = (store: string) => `${store}-backups`;

/**
 * pg_dump is single-threaded and streams; its memory is a few tables' worth of row buffers. The CPU limit
 * keeps a dump of a big database from starving the services on the same node.
 */
export const BACKUP_RESOURCES: ResourceSpec = resourceSpec("50m", "64Mi", "500m", "256Mi");

/**
 * Two retries ride out a database that is restarting; an hour bounds a dump stuck on a lock; a finished
 * Job (and its pod's log, the dump's record) stays a day, and the last three of each outcome stay anyway.
 */
export const BACKUP_LIMITS: JobLimits = { backoffLimit: 2, activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 86400 };
export const BACKUP_HISTORY = { successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3 } as const;

/**
 * The backup pod's script. It first waits (up to BACKUP_WAIT_SECONDS) for the database to accept
 * connections: a new pod's NetworkPolicy rules reach the node a moment after the pod starts (kube-router
 * answered the first dumps on the real node with "connection refused"), and the database may be
 * restarting. The dump is written under a hidden temporary name and renamed only once pg_dump succeeded,
 * so a file that looks like a backup is always a whole one; pruning runs only after a success, so a
 * failing database never eats the last good dumps. Names sort by time (UTC, fixed width).
 */
export const BACKUP_WAIT_SECONDS = 120;
export const BACKUP_SCRIPT = `set -euo pipefail
cd "$BACKUP_DIR"
rm -f .*.partial
waited=0
until pg_isready --quiet --timeout=5; do
  if (( waited >= ${BACKUP_WAIT_SECONDS} )); then
    echo "backup: the database at $PGHOST:$PGPORT did not accept connections within $waited s" >&2
    exit 1
  fi
  sleep 2
  waited=$((waited + 2))
done
(( waited == 0 )) || echo "the database answered after $waited s"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
file="$PGDATABASE-$stamp.dump"
started=$SECONDS
pg_dump --format=custom --no-password --file=".$file.partial"
mv ".$file.partial" "$file"
echo "backup $file: $(stat -c %s "$file") bytes in $((SECONDS - started)) s"
ls -1 -- "$PGDATABASE"-*.dump | sort -r | tail -n +$((BACKUP_KEEP + 1)) | while read -r old; do
  rm -f -- "$old"
  echo "removed $old (keeping the newest $BACKUP_KEEP)"
done
echo "backups on the claim:"
ls -l -- "$PGDATABASE"-*.dump
`;

export interface BackupJobArgs {
    /** Image with pg_dump of the server's major version: the server's own image. */
    image: string;
    /** libpq's PG* variables; the password only as a secretKeyRef. */
    env: EnvVar[];
    keep: number;
    claimName: string;
    /** Non-root UID of the image's postgres user. */
    uid: number;
}

/** libpq's environment for pg_dump and pg_restore: the server, the database, the user, the password from the Secret. */
export function libpqEnv(host: pulumi.Input<string>, port: number, secretName: string): EnvVar[] {
    return [
        { name: "PGHOST", value: host },
        { name: "PGPORT", value: String(port) },
        secretEnv("PGDATABASE", secretName, "database"),
        secretEnv("PGUSER", secretName, "username"),
        secretEnv("PGPASSWORD", secretName, "password"),
    ];
}

/** The pod that takes one dump: hardened, no API token, the backups' claim at BACKUP_DIR. */
export function backupPodTemplate(a: BackupJobArgs): k8s.types.input.core.v1.PodTemplateSpec {
    const container = hardenedContainer({
        name: "pg-dump",
        image: a.image,
        command: ["bash", "-c", BACKUP_SCRIPT],
        env: [...a.env, { name: "BACKUP_DIR", value: BACKUP_DIR }, { name: "BACKUP_KEEP", value: String(a.keep) }],
        resources: BACKUP_RESOURCES,
        probes: "run-to-completion",
        mounts: [{ name: "backups", mountPath: BACKUP_DIR }],
        scratch: [TMP],
    });
    return podTemplate({
        workload: POSTGRES_BACKUP_WORKLOAD,
        component: "backup",
        uid: a.uid,
        serviceAccount: false,
        containers: [container],
        volumes: [{ name: "backups", persistentVolumeClaim: { claimName: a.claimName } }],
        restartPolicy: "Never",
    });
}

/**
 * The CronJob: never two dumps at once (Forbid), times in UTC, and a run missed by more than an hour
 * (the controller was down) is skipped rather than started late into the day's traffic.
 */
export function backupCronJobSpec(a: BackupJobArgs & { schedule: string }): k8s.types.input.batch.v1.CronJobSpec {
    return {
        schedule: a.schedule,
        timeZone: "Etc/UTC",
        concurrencyPolicy: "Forbid",
        startingDeadlineSeconds: 3600,
        ...BACKUP_HISTORY,
        jobTemplate: {
            metadata: { labels: commonLabels(POSTGRES_BACKUP_WORKLOAD, "backup") },
            spec: jobSpec(backupPodTemplate(a), BACKUP_LIMITS),
        },
    };
}

/** The backups' own claim: a dump must not share the fate (or the disk quota) of the data it saves. */
export function backupClaimSpec(
    args: Pick<PostgresBackupArgs, "storageSize" | "storageClass">,
): k8s.types.input.core.v1.PersistentVolumeClaimSpec {
    return {
        accessModes: ["ReadWriteOnce"],
        storageClassName: args.storageClass,
        resources: { requests: { storage: args.storageSize } },
    };
}

export interface CreateBackupArgs extends PostgresBackupArgs {
    /** The database store's name (the StatefulSet's): names the claim. */
    store: string;
    namespace: pulumi.Input<string>;
    image: string;
    /** The server's in-cluster host name. */
    host: pulumi.Input<string>;
    port: number;
    /** The Secret with the database's username, database and password. */
    secretName: string;
    uid: number;
    /** The backup pods' policy, from the service graph (platform.ts). */
    networkPolicy?: k8s.types.input.networking.v1.NetworkPolicySpec;
    /** Keep the claim on destroy and refuse to replace it, like the database's own. */
    dataProtection: boolean;
}

/** The claim, the CronJob and the NetworkPolicy of the backup. */
export function createPostgresBackup(a: CreateBackupArgs, parent: pulumi.ComponentResource, dependsOn: pulumi.Resource[]): void {
    const claimName = backupClaimName(a.store);
    const claim = new k8s.core.v1.PersistentVolumeClaim(
        `${a.store}-backup-claim`,
        {
            metadata: { name: claimName, namespace: a.namespace, labels: commonLabels(POSTGRES_BACKUP_WORKLOAD, "backup") },
            spec: backupClaimSpec(a),
        },
        // The provider counts a WaitForFirstConsumer claim ready while Pending: it binds at the first run.
        { parent, protect: a.dataProtection, retainOnDelete: a.dataProtection },
    );
    const metadata = { name: POSTGRES_BACKUP_WORKLOAD, namespace: a.namespace, labels: commonLabels(POSTGRES_BACKUP_WORKLOAD, "backup") };
    new k8s.batch.v1.CronJob(
        `${a.store}-backup`,
        {
            metadata,
            spec: backupCronJobSpec({
                image: a.image,
                env: libpqEnv(a.host, a.port, a.secretName),
                keep: a.keep,
                claimName,
                uid: a.uid,
                schedule: a.schedule,
            }),
        },
        { parent, dependsOn: [claim, ...dependsOn] },
    );
    if (a.networkPolicy) {
        new k8s.networking.v1.NetworkPolicy(`${a.store}-backup-network-policy`, { metadata, spec: a.networkPolicy }, { parent });
    }
}

/** Name of the pod the restore runbook (docs/backup.md) and the restore drill start. */
export const RESTORE_POD = "postgres-restore";

/**
 * A pod to restore from: the backup's identity (so the graph's backup edge lets it reach the database and
 * nothing else), the backups' claim read-only, libpq's environment from the Secret; it sleeps for an hour
 * while someone runs pg_restore in it with `kubectl exec`, then ends on its own.
 */
export function restorePodManifest(a: { image: string; host: string; port: number; secretName: string; claimName: string; uid: number }) {
    const container = hardenedContainer({
        name: "restore",
        image: a.image,
        command: ["sleep", "3600"],
        env: [...libpqEnv(a.host, a.port, a.secretName), { name: "BACKUP_DIR", value: BACKUP_DIR }],
        resources: BACKUP_RESOURCES,
        probes: "run-to-completion",
        mounts: [{ name: "backups", mountPath: BACKUP_DIR, readOnly: true }],
        scratch: [TMP],
    });
    const template = podTemplate({
        workload: POSTGRES_BACKUP_WORKLOAD,
        component: "restore",
        uid: a.uid,
        serviceAccount: false,
        containers: [container],
        volumes: [{ name: "backups", persistentVolumeClaim: { claimName: a.claimName, readOnly: true } }],
        restartPolicy: "Never",
    });
    // Started by hand, not by Pulumi: the selector labels (which the NetworkPolicies match) and what it is for.
    const labels = { ...selectorLabels(POSTGRES_BACKUP_WORKLOAD), "app.kubernetes.io/component": "restore" };
    return { apiVersion: "v1", kind: "Pod", metadata: { name: RESTORE_POD, labels }, spec: template.spec };
}
