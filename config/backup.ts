// Schema of postgres.backup (the database's scheduled pg_dump): a cron schedule Kubernetes accepts, how
// many dumps to keep, the claim's size and class; on by default in prod only.
import { CronPattern } from "croner";
import { z } from "zod";
import { DEFAULTS, LIMITS } from "./defaults";
import { bool, integer, quantity, ruleMessage, strict, text } from "./schema";

/** The macros the CronJob controller (robfig/cron's standard parser) accepts instead of five fields. */
const CRON_MACROS = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];
const CRON_FIELDS = ["minute", "hour", "day of month", "month", "day of week"];
/** Numbers, *, ?, ranges, steps, lists and three-letter names (JAN, MON): not croner's L, W or # extensions. */
const CRON_FIELD = /^([0-9]+|\*|\?|[A-Za-z]{3})([-/]([0-9]+|[A-Za-z]{3}))*(,([0-9]+|\*|\?|[A-Za-z]{3})([-/]([0-9]+|[A-Za-z]{3}))*)*$/;

export const CRON_RULE = `be a cron schedule of five fields (${CRON_FIELDS.join(", ")}) in UTC, or one of ${CRON_MACROS.join(", ")}`;

/** Why Kubernetes would refuse `schedule`, or undefined when it is a schedule it runs. */
export function cronProblem(schedule: string): string | undefined {
    const trimmed = schedule.trim();
    if (CRON_MACROS.includes(trimmed)) {
        return undefined;
    }
    const fields = trimmed.split(/\s+/).filter((field) => field !== "");
    if (fields.length !== CRON_FIELDS.length) {
        return `it has ${fields.length} field${fields.length === 1 ? "" : "s"}`;
    }
    const unsupported = fields.findIndex((field) => !CRON_FIELD.test(field));
    if (unsupported >= 0) {
        return `its ${CRON_FIELDS[unsupported]} field ${fields[unsupported]} is not plain cron syntax`;
    }
    try {
        new CronPattern(trimmed);
        return undefined;
    } catch (error) {
        const reason = String((error as Error).message).replace(/^CronPattern:\s*/, "");
        return reason.charAt(0).toLowerCase() + reason.slice(1);
    }
}

const EXAMPLE_SCHEDULE = `'${DEFAULTS.postgres.backup.schedule}'`;

function cronSchedule() {
    return z.string({ error: () => ruleMessage({ rule: CRON_RULE, example: EXAMPLE_SCHEDULE }) }).superRefine((value, ctx) => {
        const problem = cronProblem(value);
        if (problem !== undefined) {
            ctx.addIssue({
                code: "custom",
                input: value,
                message: ruleMessage({ rule: `${CRON_RULE}; ${problem}`, example: EXAMPLE_SCHEDULE }),
            });
        }
    });
}

/** blog:postgres.backup; `enabled` defaults to true in prod. */
export function backupSchema(prod: boolean) {
    const d = DEFAULTS.postgres.backup;
    return strict("the fields of postgres.backup", {
        enabled: bool().default(prod).describe("Run the scheduled pg_dump (a CronJob) to a claim of its own."),
        schedule: cronSchedule().default(d.schedule).describe("When the dump runs, in UTC."),
        keep: integer(1, LIMITS.backupsKept).default(d.keep).describe("Dumps kept on the claim; older ones are removed after each dump."),
        storageSize: quantity("storage", LIMITS.storage).default(d.storageSize).describe("Size of the backups' claim."),
        storageClass: text("standard").optional().describe("StorageClass of the backups' claim; unset uses the cluster's default class."),
    });
}
