// `node dist/migrate.js`: applies auth's schema once per rollout.
import { migrateMain } from "@blog/shared";
import { AUTH_MIGRATIONS } from "./migrations.js";

await migrateMain("auth", AUTH_MIGRATIONS);
