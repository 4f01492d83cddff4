// The PostgreSQL pool and a transaction helper, so a request either writes everything or nothing.
import pg from "pg";
import type { Logger } from "pino";

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export interface DatabaseSettings {
    DATABASE_HOST: string;
    DATABASE_PORT: number;
    DATABASE_NAME: string;
    DATABASE_USER: string;
    DATABASE_PASSWORD: string;
    DATABASE_POOL_SIZE: number;
}

export function createPool(settings: DatabaseSettings, log: Logger): pg.Pool {
    const pool = new pg.Pool({
        host: settings.DATABASE_HOST,
        port: settings.DATABASE_PORT,
        database: settings.DATABASE_NAME,
        user: settings.DATABASE_USER,
        password: settings.DATABASE_PASSWORD,
        max: settings.DATABASE_POOL_SIZE,
        connectionTimeoutMillis: 3000,
        idleTimeoutMillis: 30000,
        // A runaway query must not hold a connection past the gateway's own 30 s read timeout.
        statement_timeout: 25000,
    });
    // An idle client losing its connection (e.g. the database restarting) must not crash the process.
    pool.on("error", (error) => log.warn({ err: error }, "idle PostgreSQL connection failed"));
    return pool;
}

/** Runs `work` in a transaction: COMMIT when it resolves, ROLLBACK when it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
        await client.query("BEGIN");
        const result = await work(client);
        await client.query("COMMIT");
        return result;
    } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
    } finally {
        client.release();
    }
}
