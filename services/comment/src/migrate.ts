// `node dist/migrate.js`: applies comment's schema once per rollout.
import { migrateMain } from "@blog/shared";
import { COMMENT_MIGRATIONS } from "./migrations.js";

await migrateMain("comment", COMMENT_MIGRATIONS);
