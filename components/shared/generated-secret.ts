// Generated credentials: random values (stable across updates, rotated by a keeper) stored in a
// Kubernetes Secret that workloads read through secretKeyRef.
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { commonLabels } from "./labels";

export interface GeneratedSecretArgs {
    namespace: pulumi.Input<string>;
    /** Name of the Kubernetes Secret. */
    secretName: string;
    /** Keys holding a generated value, with its length in characters. */
    generated: Record<string, number>;
    /** Extra plain keys stored beside them (e.g. a username). @default {} */
    literal?: Record<string, pulumi.Input<string>>;
    /** Changing this value regenerates every generated key. */
    rotation: string;
    /** Label component. */
    component: string;
}

export interface GeneratedSecretResult {
    secret: k8s.core.v1.Secret;
    /** Each generated value, as a secret output. */
    values: Record<string, pulumi.Output<string>>;
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
                opts,
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
    return { secret, values };
}
