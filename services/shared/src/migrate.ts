// Applies a service's schema migrations once, in order, each in its own transaction, under a Postgres
// advisory lock so concurrent runs (two rollouts, a retried Job) wait instead of racing. Idempotent.
import type pg from "pg";
import type { Logger } from "pino";

export interface Migration {
    /** Stable identifier, never renamed once released. */
    id: string;
    sql: string;
}

export async function migrate(pool: pg.Pool, service: string, migrations: Migration[], log: Logger): Promise<string[]> {
    const client = await pool.connect();
    const applied: string[] = [];
    try {
        await client.query("SELECT pg_advisory_lock(hashtext($1))", [`migrate:${service}`]);
        await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
            service text NOT NULL, id text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (service, id))`);
        const done = new Set(
            (await client.query("SELECT id FROM schema_migrations WHERE service = $1", [service])).rows.map((row) => row.id),
        );
        for (const migration of migrations) {
            if (done.has(migration.id)) {
                continue;
            }
            await client.query("BEGIN");
            try {
                await client.query(migration.sql);
                await client.query("INSERT INTO schema_migrations (service, id) VALUES ($1, $2)", [service, migration.id]);
                await client.query("COMMIT");
            } catch (error) {
                await client.query("ROLLBACK");
                throw new Error(`migration ${service}/${migration.id} failed: ${(error as Error).message}`);
            }
            applied.push(migration.id);
            log.info({ migration: migration.id }, "migration applied");
        }
        await client.query("SELECT pg_advisory_unlock(hashtext($1))", [`migrate:${service}`]);
        return applied;
    } finally {
        client.release();
    }
}
