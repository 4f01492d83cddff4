// Redis: cache and session store with a generated password; persistence per stack.
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createStatefulStore, type StatefulStoreOptions } from "../datastore/create";
import { createGeneratedSecret } from "../shared/generated-secret";
import type { ResourceSpec } from "../shared/resources";
import { secretEnv, TMP } from "../shared/workload";

export const REDIS_PORT = 6379;
/** UID of the redis user in the official Debian-based image. */
export const REDIS_UID = 999;

export interface RedisArgs extends StatefulStoreOptions {
    /** Redis image, pinned to a tag or digest; the official image's contract (UID 999, redis-server, redis-cli). */
    image: string;
    /** Requests and limits of the Redis container. */
    resources: ResourceSpec;
    /** Append-only file on a claim; without it Redis is a pure cache and restarts empty. */
    persistence: boolean;
    /** Size of the claim when persistence is on. */
    storageSize: string;
    /** StorageClass of the claim. @default the cluster's default StorageClass */
    storageClass?: string;
    /** Keeper of the generated password: change it to rotate. */
    secretsRotation: string;
}

export class Redis extends pulumi.ComponentResource {
    readonly host: pulumi.Output<string>;
    /** redis:// URL with the password: a secret output. */
    readonly connectionString: pulumi.Output<string>;
    readonly clientEnv: pulumi.Output<k8s.types.input.core.v1.EnvVar[]>;
    /** Hash of the generated password (plain): clients carry it so a rotation rolls them too. */
    readonly credentialsChecksum: pulumi.Output<string>;

    constructor(name: string, args: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
        super("blog:redis:Redis", name, {}, opts);
        const secretName = `${name}-credentials`;
        const credentials = createGeneratedSecret(
            secretName,
            {
                namespace: args.namespace,
                secretName,
                generated: { password: 32 },
                rotation: args.secretsRotation,
                component: "datastore",
            },
            { parent: this },
        );

        this.host = createStatefulStore(
            {
                name,
                image: args.image,
                port: REDIS_PORT,
                resources: args.resources,
                uid: REDIS_UID,
                env: [
                    secretEnv("REDIS_PASSWORD", secretName, "password"),
                    // redis-cli reads this, so the probe never puts the password on a command line.
                    secretEnv("REDISCLI_AUTH", secretName, "password"),
                ],
                // Kubernetes expands $(REDIS_PASSWORD) from the env; the spec itself holds no secret.
                args: [
                    "--requirepass",
                    "$(REDIS_PASSWORD)",
                    ...(args.persistence ? ["--appendonly", "yes"] : ["--save", "", "--appendonly", "no"]),
                ],
                // redis-cli exits 0 even on an error reply, so the probe checks for PONG itself.
                readinessCommand: ["sh", "-c", `redis-cli -h 127.0.0.1 -p ${REDIS_PORT} ping | grep -q PONG`],
                dataPath: "/data",
                storage: args.persistence ? { size: args.storageSize, storageClass: args.storageClass } : undefined,
                scratch: [TMP],
                terminationGracePeriodSeconds: 30,
                // --requirepass is read at start: a rotation takes effect by rolling the pod.
                secretsChecksum: credentials.checksum,
            },
            { ...args, dataProtection: args.persistence && args.dataProtection },
            this,
            [credentials.secret],
        );

        this.connectionString = pulumi.secret(pulumi.interpolate`redis://:${credentials.values.password}@${this.host}:${REDIS_PORT}/0`);
        this.clientEnv = this.host.apply((host) => [
            { name: "REDIS_HOST", value: host },
            { name: "REDIS_PORT", value: String(REDIS_PORT) },
            secretEnv("REDIS_PASSWORD", secretName, "password"),
        ]);
        this.credentialsChecksum = credentials.checksum;
        this.registerOutputs({ host: this.host, connectionString: this.connectionString });
    }
}
