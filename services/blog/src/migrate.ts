// `node dist/migrate.js`: applies blog's schema once per rollout.
import { migrateMain } from "@blog/shared";
import { BLOG_MIGRATIONS } from "./migrations.js";

await migrateMain("blog", BLOG_MIGRATIONS);
