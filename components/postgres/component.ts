// PostgreSQL: one StatefulSet with a persistent claim and a generated password.
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createStatefulStore, type StatefulStoreOptions } from "../datastore/create";
import { createGeneratedSecret } from "../shared/generated-secret";
import type { ResourceSpec } from "../shared/resources";
import { secretEnv, TMP } from "../shared/workload";
import { createPostgresBackup, type PostgresBackupArgs } from "./backup";
import { passwordSyncStep } from "./password-sync";

export const POSTGRES_PORT = 5432;
/** UID of the postgres user in the official Debian-based image: data files keep their usual owner. */
export const POSTGRES_UID = 999;
/** A subdirectory of the volume: initdb refuses a mount point that holds lost+found. */
const PGDATA = "/var/lib/postgresql/data/pgdata";

export interface PostgresArgs extends StatefulStoreOptions {
    /** PostgreSQL image, pinned to a tag or digest; the official image's contract (UID 999, PGDATA, pg_isready). */
    image: string;
    /** Requests and limits of the PostgreSQL container. */
    resources: ResourceSpec;
    /** Size of the data claim. */
    storageSize: string;
    /** @default the cluster's default StorageClass */
    storageClass?: string;
    /** Database created on first start. */
    database: string;
    /** Its owner; the password is generated. */
    user: string;
    /** Keeper of the generated password: change it to rotate. */
    secretsRotation: string;
    /** A scheduled pg_dump to a claim of its own (backup.ts). @default none */
    backup?: PostgresBackupArgs;
    /** The backup pods' NetworkPolicy, from the service graph. */
    backupNetworkPolicy?: k8s.types.input.networking.v1.NetworkPolicySpec;
}

export class Postgres extends pulumi.ComponentResource {
    /** In-cluster host name. */
    readonly host: pulumi.Output<string>;
    /** postgresql:// URL with the password: a secret output. */
    readonly connectionString: pulumi.Output<string>;
    /** Environment a client needs; the password comes from the Secret, never as a literal. */
    readonly clientEnv: pulumi.Output<k8s.types.input.core.v1.EnvVar[]>;
    /** Hash of the generated password (plain): clients carry it so a rotation rolls them too. */
    readonly credentialsChecksum: pulumi.Output<string>;

    constructor(name: string, args: PostgresArgs, opts?: pulumi.ComponentResourceOptions) {
        super("blog:postgres:Postgres", name, {}, opts);
        const secretName = `${name}-credentials`;
        // Protected like the data: the pods read it at every start.
        const credentials = createGeneratedSecret(
            secretName,
            {
                namespace: args.namespace,
                secretName,
                generated: { password: 32 },
                literal: { username: args.user, database: args.database },
                rotation: args.secretsRotation,
                component: "datastore",
            },
            { parent: this, protect: args.dataProtection, retainOnDelete: args.dataProtection },
        );

        this.host = createStatefulStore(
            {
                name,
                image: args.image,
                port: POSTGRES_PORT,
                resources: args.resources,
                uid: POSTGRES_UID,
                env: [
                    secretEnv("POSTGRES_USER", secretName, "username"),
                    secretEnv("POSTGRES_DB", secretName, "database"),
                    secretEnv("POSTGRES_PASSWORD", secretName, "password"),
                    { name: "PGDATA", value: PGDATA },
                ],
                readinessCommand: [
                    "pg_isready",
                    "--host=127.0.0.1",
                    `--port=${POSTGRES_PORT}`,
                    `--username=${args.user}`,
                    `--dbname=${args.database}`,
                ],
                dataPath: "/var/lib/postgresql/data",
                storage: { size: args.storageSize, storageClass: args.storageClass },
                scratch: [{ path: "/var/run/postgresql", size: "16Mi" }, TMP],
                // A fast shutdown flushes WAL and checkpoints; give it time rather than SIGKILL mid-write.
                terminationGracePeriodSeconds: 60,
                // An initialized database ignores POSTGRES_PASSWORD: this step applies the Secret's password
                // before every start, and the checksum rolls the pod when a rotation changes it.
                setup: passwordSyncStep(secretName, PGDATA),
                secretsChecksum: credentials.checksum,
            },
            args,
            this,
            [credentials.secret],
        );

        if (args.backup) {
            createPostgresBackup(
                {
                    ...args.backup,
                    store: name,
                    namespace: args.namespace,
                    image: args.image,
                    host: this.host,
                    port: POSTGRES_PORT,
                    secretName,
                    uid: POSTGRES_UID,
                    networkPolicy: args.backupNetworkPolicy,
                    dataProtection: args.dataProtection,
                },
                this,
                [credentials.secret],
            );
        }

        this.connectionString = pulumi.secret(
            pulumi.interpolate`postgresql://${args.user}:${credentials.values.password}@${this.host}:${POSTGRES_PORT}/${args.database}`,
        );
        this.clientEnv = this.host.apply((host) => [
            { name: "DATABASE_HOST", value: host },
            { name: "DATABASE_PORT", value: String(POSTGRES_PORT) },
            { name: "DATABASE_NAME", value: args.database },
            { name: "DATABASE_USER", value: args.user },
            secretEnv("DATABASE_PASSWORD", secretName, "password"),
        ]);
        this.credentialsChecksum = credentials.checksum;
        this.registerOutputs({ host: this.host, connectionString: this.connectionString });
    }
}
