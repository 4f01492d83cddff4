// Renders the rule catalogue section of docs/policy.md from the rules' own metadata, so the docs cannot
// disagree with the code about a rule's severity, level, settings or fix.
import type { Rule } from "../../policy/lib/rule";
import { configSchemaFor } from "../../policy/lib/rule";

export const BEGIN = "<!-- catalogue:begin (generated from policy/rules by test/policy/catalogue-doc.ts) -->";
export const END = "<!-- catalogue:end -->";

const FAMILY_TITLES: Record<string, string> = {
    "pod-security": "Pod Security Standards",
    workload: "Workloads",
    network: "Network",
    namespace: "Namespaces",
    availability: "Availability",
};

const escapePipes = (text: string) => text.replace(/\|/g, "\\|");

export function renderCatalogue(rules: readonly Rule[]): string {
    const lines = [BEGIN, ""];
    for (const [family, title] of Object.entries(FAMILY_TITLES)) {
        const members = rules.filter((r) => r.metadata.family === family);
        lines.push(
            `### ${title}`,
            "",
            "| Policy | Scope | Severity | Default level | Settings | Requires | How to fix |",
            "|---|---|---|---|---|---|---|",
        );
        for (const { metadata, scope, remediates } of members) {
            const settings = Object.keys(configSchemaFor(metadata).properties)
                .map((k) => `\`${k}\``)
                .join(", ");
            const level = `${metadata.enforcementLevel ?? "mandatory"}${remediates ? " (can remediate)" : ""}`;
            const name = metadata.pss ? `\`${metadata.name}\` (${metadata.pss})` : `\`${metadata.name}\``;
            lines.push(
                `| ${name} | ${scope} | ${metadata.severity} | ${level} | ${settings} | ${escapePipes(metadata.description)} | ` +
                    `${escapePipes(metadata.remediation)} |`,
            );
        }
        lines.push("");
    }
    lines.push(END);
    return lines.join("\n");
}
