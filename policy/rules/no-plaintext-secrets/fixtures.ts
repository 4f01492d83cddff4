// no-plaintext-secrets's cases: each changes one thing of a compliant object, named for what it breaks (fail.) or keeps (pass.).
import { pod, addInit, type Cases } from "../../fixtures/fixture";

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
    "fail.literal-password": pod((s) => {
        s.containers[0].env = [{ name: "DB_PASSWORD", value: "hunter2" }];
    }),
    "fail.literal-api-key-in-init-container": pod((s) => {
        addInit(s).env = [{ name: "api_key", value: "abc123" }];
    }),
};
