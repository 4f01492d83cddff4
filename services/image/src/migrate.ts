// `node dist/migrate.js`: applies image's schema once per rollout.
import { migrateMain } from "@blog/shared";
import { IMAGE_MIGRATIONS } from "./migrations.js";

await migrateMain("image", IMAGE_MIGRATIONS);
