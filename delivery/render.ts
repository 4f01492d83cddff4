// Renders a check report for people: a short text summary for the terminal and Markdown for the
// GitHub step summary. Pure: the same report always gives the same text.
import { CHANGE_OPS, changeCount, type CheckReport, describe, type PolicyFinding, type StackSummary } from "./summary";

// Longer lists and messages are cut in the terminal; the JSON file and the Markdown keep everything.
const TEXT_LIST_LIMIT = 10;
const TEXT_MESSAGE_LIMIT = 200;

function shorten(text: string): string {
    return text.length <= TEXT_MESSAGE_LIMIT ? text : `${text.slice(0, TEXT_MESSAGE_LIMIT - 1)}…`;
}

function countsLine(s: StackSummary): string {
    if (s.errors.length > 0 && changeCount(s) === 0 && s.unchanged === 0) {
        return "nothing previewed";
    }
    const parts = CHANGE_OPS.filter((op) => s.changes[op] > 0).map((op) => `${s.changes[op]} to ${op}`);
    return `${parts.length > 0 ? parts.join(", ") : "no changes"} (${s.unchanged} unchanged)`;
}

function findingCounts(findings: PolicyFinding[]): string {
    const counts = new Map<string, number>();
    for (const f of findings) {
        counts.set(f.enforcement, (counts.get(f.enforcement) ?? 0) + 1);
    }
    return [...counts].map(([level, n]) => `${n} ${level}`).join(", ");
}

/** Findings grouped by rule, in the summary's order (mandatory first). */
function byRule(findings: PolicyFinding[]): PolicyFinding[][] {
    const groups = new Map<string, PolicyFinding[]>();
    for (const f of findings) {
        const key = `${f.enforcement}/${f.pack}/${f.policy}`;
        groups.set(key, [...(groups.get(key) ?? []), f]);
    }
    return [...groups.values()];
}

function status(s: StackSummary): string {
    if (s.errors.length > 0) {
        return "preview error";
    }
    return s.succeeded ? "preview ok" : "preview stopped by policy";
}

function verdict(report: CheckReport): string {
    return report.passed ? "passed" : "FAILED";
}

/** The terminal summary: the verdict and its reasons first, then each stack in a few lines. */
export function renderText(report: CheckReport): string {
    const lines = [`${report.check}: ${verdict(report)} (${report.stacks.map((s) => s.stack).join(", ")})`];
    for (const reason of report.reasons.slice(0, TEXT_LIST_LIMIT)) {
        lines.push(`  ✗ ${reason}`);
    }
    if (report.reasons.length > TEXT_LIST_LIMIT) {
        lines.push(`  … and ${report.reasons.length - TEXT_LIST_LIMIT} more (see the JSON report)`);
    }
    for (const s of report.stacks) {
        lines.push("", `${s.stack}: ${status(s)} — ${countsLine(s)}`);
        if (report.check === "drift") {
            for (const c of s.changed.slice(0, TEXT_LIST_LIMIT)) {
                lines.push(`  ${c.op.padEnd(8)} ${describe(c.resource)}${c.properties.length > 0 ? ` (${c.properties.join(", ")})` : ""}`);
            }
        }
        for (const error of s.errors) {
            lines.push(`  error: ${error.split("\n").slice(0, 3).join("\n         ")}`);
        }
        if (s.findings.length > 0) {
            lines.push(`  policy violations: ${findingCounts(s.findings)}`);
        } else if (report.check === "pr-check" && s.succeeded) {
            lines.push("  policy violations: none");
        }
        for (const group of byRule(s.findings)) {
            const first = group[0];
            lines.push(`    [${first.enforcement}] ${first.policy}: ${first.description}`);
            for (const f of group.slice(0, TEXT_LIST_LIMIT)) {
                lines.push(`      ${describe(f.resource)}: ${shorten(f.message.split("\n")[0])}`);
            }
            if (group.length > TEXT_LIST_LIMIT) {
                lines.push(`      … and ${group.length - TEXT_LIST_LIMIT} more`);
            }
        }
        if (s.remediations.length > 0) {
            const rules = [...new Set(s.remediations.map((r) => r.policy))];
            lines.push(
                `  remediated by policy: ${rules.join(", ")} (${s.remediations.length} resource${s.remediations.length === 1 ? "" : "s"})`,
            );
        }
    }
    return `${lines.join("\n")}\n`;
}

// Table cells hold one line; pipes would split them.
function cell(text: string): string {
    return text
        .replace(/\r?\n+/g, " ")
        .replace(/\|/g, "\\|")
        .trim();
}

/** Markdown for `$GITHUB_STEP_SUMMARY` (or a PR comment): verdict, then a section per stack. */
export function renderMarkdown(report: CheckReport): string {
    const title = report.check === "pr-check" ? "Pulumi preview with policies" : "Drift check";
    const out = [`## ${report.passed ? "✅" : "❌"} ${title}: ${verdict(report)}`, ""];
    for (const reason of report.reasons) {
        out.push(`- ${cell(reason)}`);
    }
    if (report.reasons.length > 0) {
        out.push("");
    }
    for (const s of report.stacks) {
        out.push(`### Stack \`${s.stack}\``, "");
        out.push(`| ${CHANGE_OPS.join(" | ")} | unchanged |`, `|${" ---: |".repeat(CHANGE_OPS.length + 1)}`);
        out.push(`| ${CHANGE_OPS.map((op) => s.changes[op]).join(" | ")} | ${s.unchanged} |`, "");
        for (const error of s.errors) {
            out.push("**Preview error**", "", "```", error, "```", "");
        }
        if (s.findings.length > 0) {
            out.push(`**Policy violations** (${findingCounts(s.findings)})`, "");
            out.push("| Level | Rule | Resource | Message |", "| --- | --- | --- | --- |");
            for (const f of s.findings) {
                out.push(`| ${f.enforcement} | \`${f.policy}\` | ${cell(describe(f.resource))} | ${cell(f.message)} |`);
            }
            out.push("");
        } else if (report.check === "pr-check" && s.succeeded) {
            out.push("No policy violations.", "");
        }
        if (s.remediations.length > 0) {
            out.push(
                `Remediated by policy: ${s.remediations.map((r) => `\`${r.policy}\` on ${cell(describe(r.resource))}`).join(", ")}.`,
                "",
            );
        }
        if (changeCount(s) > 0) {
            out.push(`<details><summary>${changeCount(s)} changed resource${changeCount(s) === 1 ? "" : "s"}</summary>`, "");
            out.push("| Operation | Resource | Properties |", "| --- | --- | --- |");
            for (const c of s.changed) {
                out.push(`| ${c.op} | ${cell(describe(c.resource))} | ${cell(c.properties.join(", "))} |`);
            }
            out.push("", "</details>", "");
        }
    }
    return out.join("\n");
}
