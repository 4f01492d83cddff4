// The step that makes an initialized PostgreSQL accept the password in its Secret: it runs before every
// start of the server, so a rotated Secret (and a rolled pod) is all a rotation needs.
import type { StoreSetupStep } from "../datastore/spec";
import { secretEnv } from "../shared/workload";

/** Init container name. */
export const PASSWORD_SYNC_STEP = "sync-password";

/**
 * initdb applies POSTGRES_PASSWORD once, on the first start; afterwards the image ignores it. This script
 * sets the role's password from the environment on a server listening on the local socket only (trusted
 * there, as both the official image and ours set up; nothing can connect over the network meanwhile),
 * with statement logging off, so the password reaches no argument, log or file. psql reads it with
 * \getenv (psql 15+) and quotes it itself. Rerunning it only sets the same password again.
 */
export const PASSWORD_SYNC_SCRIPT = `set -Eeuo pipefail
if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  echo "sync-password: PGDATA holds no database yet; its first start sets the password"
  exit 0
fi
: "\${POSTGRES_USER:?sync-password: POSTGRES_USER must be set}"
: "\${POSTGRES_PASSWORD:?sync-password: POSTGRES_PASSWORD must be set (from the credentials Secret)}"
pg_ctl -D "$PGDATA" -w -t 300 -o "-c listen_addresses='' -c log_statement=none -c log_min_error_statement=panic \\
  -c log_min_duration_statement=-1 -c password_encryption=scram-sha-256" start
trap 'pg_ctl -D "$PGDATA" -m fast -w stop' EXIT
psql -v ON_ERROR_STOP=1 --no-psqlrc --no-password --quiet --username "$POSTGRES_USER" --dbname postgres <<'SQL'
\\set VERBOSITY terse
\\getenv role POSTGRES_USER
\\getenv password POSTGRES_PASSWORD
ALTER ROLE :"role" PASSWORD :'password';
SQL
echo "sync-password: role $POSTGRES_USER now has the password from the Secret"
`;

/** The setup step of the Postgres StatefulSet: the script above, with the user and password from the Secret. */
export function passwordSyncStep(secretName: string, pgdata: string): StoreSetupStep {
    return {
        name: PASSWORD_SYNC_STEP,
        command: ["bash", "-c", PASSWORD_SYNC_SCRIPT],
        env: [
            secretEnv("POSTGRES_USER", secretName, "username"),
            secretEnv("POSTGRES_PASSWORD", secretName, "password"),
            { name: "PGDATA", value: pgdata },
        ],
    };
}
