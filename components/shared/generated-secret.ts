// Generated credentials: random values (stable across updates, rotated by a keeper) stored in a
// Kubernetes Secret that workloads read through secretKeyRef.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { commonLabels } from "./labels";
import { configChecksum } from "./workload";

export interface GeneratedSecretArgs {
    /** Namespace of the Secret. */
    namespace: pulumi.Input<string>;
    /** Name of the Kubernetes Secret. */
    secretName: string;
    /** Keys holding a generated value, with its length in characters. */
    generated: Record<string, number>;
    /** Extra plain keys stored beside them (e.g. a username). @default {} */
    literal?: Record<string, pulumi.Input<string>>;
    /** Changing this value regenerates every generated key. */
    rotation: string;
    /** Its `app.kubernetes.io/component` label. */
    component: string;
}

export interface GeneratedSecretResult {
    secret: k8s.core.v1.Secret;
    /** Each generated value, as a secret output. */
    values: Record<string, pulumi.Output<string>>;
    /**
     * A short hash of the generated values, as a plain output: the pods that read them carry it as an
     * annotation, so a rotation rolls them (an env read from a Secret changes only when the pod restarts).
     */
    checksum: pulumi.Output<string>;
}

/**
 * The generators' options: the Secret's without protection. A rotation replaces the generators, so a
 * protected one could never rotate; the Secret stays protected, and a rotation updates it in place (the
 * provider treats Secrets as mutable, index.ts).
 */
export function generatorOptions(opts: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
    const { protect: _protect, retainOnDelete: _retainOnDelete, ...rest } = opts;
    return rest;
}

/**
 * Creates one RandomPassword per generated key and the Secret holding them. Values are alphanumeric so
 * they embed in URLs and connection strings without escaping; 32+ characters keeps them above 190 bits.
 */
export function createGeneratedSecret(name: string, args: GeneratedSecretArgs, opts: pulumi.CustomResourceOptions): GeneratedSecretResult {
    const values = Object.fromEntries(
        Object.entries(args.generated).map(([key, length]) => {
            const password = new random.RandomPassword(
                `${name}-${key}`,
                {
                    length,
                    special: false,
                    keepers: { rotation: args.rotation },
                },
                generatorOptions(opts),
            );
            return [key, password.result];
        }),
    );
    const secret = new k8s.core.v1.Secret(
        name,
        {
            metadata: { name: args.secretName, namespace: args.namespace, labels: commonLabels(args.secretName, args.component) },
            type: "Opaque",
            stringData: { ...args.literal, ...values },
        },
        opts,
    );
    // Plain on purpose: derived from the secret values it would make every pod spec secret and hide
    // their diffs; 64 bits of a SHA-256 of 190-bit random values reveal nothing usable.
    const checksum = pulumi.unsecret(pulumi.all(values).apply((plain) => configChecksum(plain)));
    return { secret, values, checksum };
}
