// no-plaintext-secrets, "No plaintext secrets in env": the rule's metadata and check.
import { containersOf, describeContainer } from "../../lib/pod-spec";
import { podSpecRule } from "../../lib/rule";
import { at, items, UNKNOWN } from "../../lib/values";

const SECRET_NAME_PATTERN = "(^|_)(PASSWORD|PASSWD|PASSPHRASE|PWD|TOKEN|SECRET|KEY|APIKEY|CREDENTIALS?)(_|$)";

const NOT_A_SECRET_PATTERN = "_(FILE|PATH|DIR|NAME|URL|URI|ENDPOINT|HOST|PORT)$";

interface SecretEnvConfig {
    namePattern: string;
    ignorePattern: string;
}

export const noPlaintextSecrets = podSpecRule<SecretEnvConfig>(
    {
        name: "no-plaintext-secrets",
        title: "No plaintext secrets in env",
        family: "workload",
        severity: "high",
        description:
            "Environment variables whose names say they hold a credential (PASSWORD, TOKEN, SECRET, KEY, ...) must come from a " +
            "Secret, never a literal value in the pod spec.",
        remediation: "Store the value in a Kubernetes Secret and reference it with env[].valueFrom.secretKeyRef (or envFrom.secretRef).",
        config: {
            namePattern: {
                type: "string",
                minLength: 1,
                default: SECRET_NAME_PATTERN,
                description: "Case-insensitive regular expression for env names that hold credentials.",
            },
            ignorePattern: {
                type: "string",
                minLength: 1,
                default: NOT_A_SECRET_PATTERN,
                description:
                    "Case-insensitive regular expression for names that only point at a credential (a file, a URL, a Secret's name).",
            },
        },
    },
    {
        check({ pod, config, report }) {
            const secretName = new RegExp(config.namePattern, "i");
            const pointer = new RegExp(config.ignorePattern, "i");
            for (const container of containersOf(pod.spec)) {
                const env = items(at(container.value, "env"));
                if (env === UNKNOWN) {
                    continue;
                }
                const literal = env
                    .filter((e) => {
                        const [name, value] = [at(e, "name"), at(e, "value")];
                        return (
                            typeof name === "string" &&
                            typeof value === "string" &&
                            value !== "" &&
                            secretName.test(name) &&
                            !pointer.test(name)
                        );
                    })
                    .map((e) => String(at(e, "name")));
                if (literal.length > 0) {
                    report(
                        `${describeContainer(container)} sets ${literal.join(", ")} as literal values. Move them to a Secret and use ` +
                            "valueFrom.secretKeyRef.",
                    );
                }
            }
        },
    },
);
