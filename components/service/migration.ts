// The schema migration Job of a service that owns tables: `node dist/migrate.js` from the service's own
// image, once per image (the Job's name carries a hash of it), hardened on the shared workload layer.
import { createHash } from "node:crypto";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ResourceSpec } from "../shared/resources";
import { hardenedContainer, type JobLimits, jobSpec, podTemplate, TMP } from "../shared/workload";

/**
 * A migration is a few DDL statements: three retries cover a database that is still starting; ten
 * minutes bound a lock held by a stuck run; finished Jobs stay a day for their logs.
 */
export const MIGRATION_LIMITS: JobLimits = { backoffLimit: 3, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 86400 };

export const MIGRATION_COMMAND = ["node", "dist/migrate.js"];

export interface MigrationJobArgs {
    /** The migration's workload name (labels, NetworkPolicy selection), e.g. auth-migrate. */
    workload: string;
    /** The service's image: the same build carries dist/migrate.js. */
    image: string;
    /** DATABASE_* of the service; secrets only as secretKeyRef. */
    env: pulumi.Input<pulumi.Input<k8s.types.input.core.v1.EnvVar>[]>;
    resources: ResourceSpec;
    /** Non-root UID of the image. */
    uid: number;
}

/** `<workload>-<hash of the image>`: a new image gets a new Job, so each rollout migrates once. */
export function migrationJobName(workload: string, image: string): string {
    return `${workload}-${createHash("sha256").update(image).digest("hex").slice(0, 10)}`;
}

export function migrationJobSpec(a: MigrationJobArgs): k8s.types.input.batch.v1.JobSpec {
    const container = hardenedContainer({
        name: "migrate",
        image: a.image,
        command: MIGRATION_COMMAND,
        env: a.env,
        resources: a.resources,
        probes: "run-to-completion",
        scratch: [TMP],
    });
    return jobSpec(
        podTemplate({
            workload: a.workload,
            component: "migration",
            uid: a.uid,
            // The namespace's default account, without a token: the Job reads nothing from the API.
            serviceAccount: false,
            containers: [container],
            restartPolicy: "Never",
        }),
        MIGRATION_LIMITS,
    );
}
