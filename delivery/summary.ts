// Pure summary of previews: from each stack's engine events to changes by operation, policy findings
// by rule and resource, and errors; then the one decision whether the PR check or the drift check
// fails. scripts/pr-check, scripts/drift and the GitHub workflows all go through here.
import type { EnforcementLevel, ParsedEvents, StepOp } from "./engine-events";

/** The two checks built on a preview: the PR gate and the drift detector. */
export type CheckKind = "pr-check" | "drift";

/** Operations a summary counts; replacement sub-steps fold into `replace`. */
export const CHANGE_OPS = ["create", "update", "replace", "delete", "import"] as const;
export type ChangeOp = (typeof CHANGE_OPS)[number];

export interface ResourceRef {
    urn: string;
    /** Full type token, e.g. `kubernetes:apps/v1:Deployment`. */
    type: string;
    /** Last segment of the type, e.g. `Deployment`. */
    kind: string;
    /** The program's name for the resource. */
    name: string;
}

export interface Change {
    op: ChangeOp;
    resource: ResourceRef;
    /** Property paths that differ, when the provider reported them. */
    properties: string[];
}

export interface PolicyFinding {
    policy: string;
    pack: string;
    enforcement: EnforcementLevel;
    /** The resource the finding is about; absent for stack-wide policies. */
    resource?: ResourceRef;
    /** The policy's own description (the same for every finding of a rule). */
    description: string;
    /** What the policy reported about this resource, usually with the fix. */
    message: string;
}

export interface Remediation {
    policy: string;
    pack: string;
    resource?: ResourceRef;
}

export interface StackSummary {
    stack: string;
    /** True when the engine reached its summary and reported success. */
    succeeded: boolean;
    changes: Record<ChangeOp, number>;
    unchanged: number;
    changed: Change[];
    /** Sorted by enforcement (mandatory first), rule, then resource. */
    findings: PolicyFinding[];
    remediations: Remediation[];
    /** Error diagnostics, without the engine's bare "preview failed" when findings explain it. */
    errors: string[];
}

export interface CheckReport {
    check: CheckKind;
    passed: boolean;
    /** One line per reason the check failed; empty when it passed. */
    reasons: string[];
    stacks: StackSummary[];
}

// Sub-steps of a replacement, reads and refreshes are not changes of their own.
const FOLDED_OPS: ReadonlySet<StepOp> = new Set<StepOp>([
    "create-replacement",
    "delete-replaced",
    "discard-replaced",
    "read-replacement",
    "import-replacement",
    "remove-pending-replace",
    "read",
    "refresh",
    "discard",
]);
const ENFORCEMENT_ORDER: EnforcementLevel[] = ["mandatory", "remediate", "advisory", "disabled"];
const GENERIC_FAILURE = /^(?:error: )?(?:preview|update) failed\s*$/;

// ANSI colour codes sneak into messages that quote program output.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the ESC control character is the point.
const ANSI = /\u001b\[[0-9;]*m/g;

/** Splits a Pulumi URN into the parts a reader needs. Anything else is shown as it is. */
export function resourceRef(urn: string): ResourceRef {
    const parts = urn.split("::");
    if (!urn.startsWith("urn:pulumi:") || parts.length < 4) {
        return { urn, type: "", kind: "", name: urn };
    }
    const type = parts[2].split("$").pop() ?? parts[2];
    return { urn, type, kind: type.split(":").pop() ?? type, name: parts.slice(3).join("::") };
}

function isStack(urn: string | undefined): boolean {
    return urn !== undefined && resourceRef(urn).type === "pulumi:pulumi:Stack";
}

function clean(text: string): string {
    return text.replace(ANSI, "").trim();
}

/**
 * Summarises one stack's preview from its engine events. `stderr` is the CLI's standard error, used
 * only when the events themselves do not say why the preview stopped (e.g. a login failure).
 */
export function summarizeStack(stack: string, parsed: ParsedEvents, stderr = ""): StackSummary {
    const lastOp = new Map<string, { op: StepOp; properties: string[] }>();
    const findings = new Map<string, PolicyFinding>();
    const remediations = new Map<string, Remediation>();
    const errors: string[] = [];
    let result: string | undefined;

    for (const event of parsed.events) {
        const step = event.resourcePreEvent?.metadata;
        if (step && !FOLDED_OPS.has(step.op)) {
            // The detailed diff names the exact paths (spec.replicas); `diffs` only top-level keys.
            const paths = Object.keys(step.detailedDiff ?? {}).sort();
            lastOp.set(step.urn, { op: step.op, properties: paths.length > 0 ? paths : (step.diffs ?? []) });
        }
        const policy = event.policyEvent;
        if (policy) {
            const [description, ...rest] = clean(policy.message).split("\n");
            const finding: PolicyFinding = {
                policy: policy.policyName,
                pack: policy.policyPackName,
                enforcement: policy.enforcementLevel,
                resource: policy.resourceUrn && !isStack(policy.resourceUrn) ? resourceRef(policy.resourceUrn) : undefined,
                description: description.trim(),
                message: rest.join("\n").trim() || description.trim(),
            };
            findings.set(`${finding.pack}/${finding.policy}/${policy.resourceUrn ?? ""}/${finding.message}`, finding);
        }
        const remediation = event.policyRemediationEvent;
        if (remediation) {
            const resource = remediation.resourceUrn ? resourceRef(remediation.resourceUrn) : undefined;
            remediations.set(`${remediation.policyPackName}/${remediation.policyName}/${remediation.resourceUrn ?? ""}`, {
                policy: remediation.policyName,
                pack: remediation.policyPackName,
                resource,
            });
        }
        const diagnostic = event.diagnosticEvent;
        if (diagnostic && diagnostic.severity === "error") {
            // Provider errors carry the resource's URN; name the resource, as the CLI's display does.
            const about = diagnostic.urn && !isStack(diagnostic.urn) ? `${describe(resourceRef(diagnostic.urn))}: ` : "";
            errors.push(about + clean(diagnostic.message));
        }
        if (event.summaryEvent) {
            result = event.summaryEvent.result ?? (errors.length > 0 ? "failed" : "succeeded");
        }
    }

    const changes = Object.fromEntries(CHANGE_OPS.map((op) => [op, 0])) as Record<ChangeOp, number>;
    const changed: Change[] = [];
    let unchanged = 0;
    for (const [urn, { op, properties }] of lastOp) {
        if ((CHANGE_OPS as readonly string[]).includes(op)) {
            changes[op as ChangeOp] += 1;
            changed.push({ op: op as ChangeOp, resource: resourceRef(urn), properties });
        } else if (op === "same") {
            unchanged += 1;
        }
    }

    const sortedFindings = [...findings.values()].sort(
        (a, b) =>
            ENFORCEMENT_ORDER.indexOf(a.enforcement) - ENFORCEMENT_ORDER.indexOf(b.enforcement) ||
            a.policy.localeCompare(b.policy) ||
            describe(a.resource).localeCompare(describe(b.resource)),
    );
    const mandatory = sortedFindings.some((f) => f.enforcement === "mandatory");
    // The engine closes every failed preview with a bare "preview failed"; it adds nothing when the
    // findings or another error already say why.
    const specific = errors.filter((e) => !GENERIC_FAILURE.test(e));
    const explained = mandatory || specific.length > 0;
    const finalErrors = [...specific];
    if (result === undefined) {
        finalErrors.push(
            ["the preview stopped before the engine finished", ...stderrErrors(stderr), ...parsed.strayLines.slice(0, 5)].join(": "),
        );
    } else if (result !== "succeeded" && !explained) {
        const reason = stderrErrors(stderr).join("; ");
        finalErrors.push(
            reason ? `the preview failed: ${reason}` : "the preview failed without saying why; run it by hand to see the CLI output",
        );
    }

    return {
        stack,
        succeeded: result === "succeeded",
        changes,
        unchanged,
        changed: changed.sort(
            (a, b) => CHANGE_OPS.indexOf(a.op) - CHANGE_OPS.indexOf(b.op) || describe(a.resource).localeCompare(describe(b.resource)),
        ),
        findings: sortedFindings,
        remediations: [...remediations.values()],
        errors: finalErrors,
    };
}

// The CLI's own "no changes were expected" is the drift signal, not an error of the preview.
function stderrErrors(stderr: string): string[] {
    return clean(stderr)
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => /^error: /.test(line) && !/no changes were expected/.test(line) && !GENERIC_FAILURE.test(line))
        .map((line) => line.replace(/^error: /, ""));
}

/** Total number of changed resources in a stack. */
export function changeCount(summary: StackSummary): number {
    return CHANGE_OPS.reduce((sum, op) => sum + summary.changes[op], 0);
}

/**
 * The one decision: the PR check fails on a mandatory policy violation or a preview error; the drift
 * check fails on any change (live state differs from the program) or a preview error.
 */
export function decide(check: CheckKind, stacks: StackSummary[]): CheckReport {
    const reasons: string[] = [];
    for (const s of stacks) {
        for (const error of s.errors) {
            reasons.push(`${s.stack}: preview error: ${error.split("\n")[0]}`);
        }
        if (check === "pr-check") {
            // One line per rule: a rule broken by every Deployment is one reason, not five.
            const byRule = new Map<string, string[]>();
            for (const f of s.findings.filter((f) => f.enforcement === "mandatory")) {
                byRule.set(f.policy, [...(byRule.get(f.policy) ?? []), describe(f.resource)]);
            }
            for (const [policy, resources] of byRule) {
                reasons.push(`${s.stack}: mandatory policy ${policy} violated by ${listed(resources)}`);
            }
        } else if (changeCount(s) > 0) {
            const list = s.changed.map((c) => `${c.op} ${describe(c.resource)}`);
            reasons.push(`${s.stack}: drift on ${list.length} resource${list.length === 1 ? "" : "s"}: ${listed(list)}`);
        }
    }
    return { check, passed: reasons.length === 0, reasons, stacks };
}

// A reason stays one readable line: the first few items, then how many more.
function listed(items: string[], shown = 3): string {
    return items.length <= shown ? items.join(", ") : `${items.slice(0, shown).join(", ")} and ${items.length - shown} more`;
}

/** `Deployment blog-auth`, or `the stack` for stack-wide findings. */
export function describe(resource: ResourceRef | undefined): string {
    if (!resource) {
        return "the stack";
    }
    return resource.kind ? `${resource.kind} ${resource.name}` : resource.name;
}
