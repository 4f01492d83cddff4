// Entry point shared by every service's dist/migrate.js: read DATABASE_* from env, apply, exit.
import { loadConfig, DATABASE_VARS } from "./config.js";
import { createPool } from "./db.js";
import { migrate, type Migration } from "./migrate.js";
import { pino } from "pino";

export async function migrateMain(service: string, migrations: Migration[]): Promise<void> {
    const cfg = loadConfig(`${service}-migrate`, DATABASE_VARS);
    const log = pino({ base: { service, job: "migrate" }, timestamp: pino.stdTimeFunctions.isoTime });
    const pool = createPool(cfg, log);
    try {
        const applied = await migrate(pool, service, migrations, log);
        log.info({ applied: applied.length }, "schema up to date");
    } catch (error) {
        log.error({ err: error }, "migration failed");
        process.exitCode = 1;
    } finally {
        await pool.end();
    }
}
