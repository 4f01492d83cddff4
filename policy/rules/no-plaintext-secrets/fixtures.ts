// no-plaintext-secrets's cases, named for what they break (fail.) or keep (pass.); each fail case lists what it reports.
import { addInit, type Cases, pod } from "../../fixtures/fixture";

export const cases: Cases = {
    "pass.secret-from-secret-ref": pod((s) => {
        s.containers[0].env = [
            { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
            { name: "LOG_LEVEL", value: "info" },
        ];
    }),
    "pass.pointer-to-secret-file": pod((s) => {
        s.containers[0].env = [
            { name: "TLS_KEY_FILE", value: "/etc/tls/tls.key" },
            { name: "KEYCLOAK_URL", value: "http://keycloak" },
        ];
    }),
    "fail.literal-password": pod(
        (s) => {
            s.containers[0].env = [{ name: "DB_PASSWORD", value: "hunter2" }];
        },
        { reports: ['container "app" sets DB_PASSWORD as literal values. ' + "Move them to a Secret and use valueFrom.secretKeyRef."] },
    ),
    "fail.literal-api-key-in-init-container": pod(
        (s) => {
            addInit(s).env = [{ name: "api_key", value: "abc123" }];
        },
        { reports: ['init container "init" sets api_key as literal values. ' + "Move them to a Secret and use valueFrom.secretKeyRef."] },
    ),
};
