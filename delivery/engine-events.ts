// The part of the Pulumi CLI's JSON engine-event stream the delivery summary reads, and its parser.
//
// Why the event stream and not the default `pulumi preview --json` document: that document (the
// "preview digest", pkg/backend/display/json.go in CLI 3.259) skips every policy event — a preview
// that fails on a mandatory policy shows only "error: preview failed". With
// PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true the same `pulumi preview --json` prints one engine event
// per line instead (apitype.EngineEvent), policy violations included.

/** Step operations as the engine names them (apitype.OpType). */
export type StepOp =
    | "same"
    | "create"
    | "update"
    | "delete"
    | "replace"
    | "create-replacement"
    | "delete-replaced"
    | "read"
    | "read-replacement"
    | "refresh"
    | "discard"
    | "discard-replaced"
    | "remove-pending-replace"
    | "import"
    | "import-replacement";

/** Policy enforcement levels (apitype.EnforcementLevel). */
export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

export interface StepEventMetadata {
    op: StepOp;
    urn: string;
    type: string;
    /** Top-level properties whose change caused the step; absent when the provider did not say. */
    diffs?: string[];
    /** Properties whose change forces a replacement. */
    keys?: string[];
    /** Changed property paths (e.g. `spec.replicas`) and how, when the provider computed them. */
    detailedDiff?: Record<string, { diffKind: string; inputDiff: boolean }> | null;
}

export interface PolicyEvent {
    /** The resource the violation is about; the stack's own URN for stack-wide policies. */
    resourceUrn?: string;
    /** The policy's description, a newline, then the message the policy reported. */
    message: string;
    policyName: string;
    policyPackName: string;
    policyPackVersion?: string;
    enforcementLevel: EnforcementLevel;
    severity?: string;
}

export interface PolicyRemediationEvent {
    resourceUrn?: string;
    policyName: string;
    policyPackName: string;
}

export interface DiagnosticEvent {
    urn?: string;
    prefix?: string;
    message: string;
    severity: "debug" | "info" | "info#err" | "warning" | "error";
    ephemeral?: boolean;
}

export interface SummaryEvent {
    maybeCorrupt: boolean;
    durationSeconds: number;
    resourceChanges: Partial<Record<StepOp, number>>;
    isPreview?: boolean;
    /** Present from CLI 3.1xx on: "succeeded" or "failed". */
    result?: string;
}

/** One line of the stream; exactly one of the optional members is set. */
export interface EngineEvent {
    sequence: number;
    timestamp: number;
    resourcePreEvent?: { metadata: StepEventMetadata; planning?: boolean };
    resOutputsEvent?: { metadata: StepEventMetadata; planning?: boolean };
    resOpFailedEvent?: { metadata: StepEventMetadata; status: number; steps: number };
    policyEvent?: PolicyEvent;
    policyRemediationEvent?: PolicyRemediationEvent;
    diagnosticEvent?: DiagnosticEvent;
    summaryEvent?: SummaryEvent;
    cancelEvent?: Record<string, never>;
}

/** A stream read line by line. */
export interface ParsedEvents {
    events: EngineEvent[];
    /** Lines that are not engine events (e.g. a CLI error printed to stdout before any event). */
    strayLines: string[];
}

/**
 * Reads the output of `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json`: one JSON
 * object per line. Lines that are not JSON objects are kept aside rather than failing, because a CLI
 * that stops early prints its reason there.
 */
export function parseEngineEvents(text: string): ParsedEvents {
    if (/^\s*\{\s*$/m.test(text.split("\n", 1)[0] ?? "") && /"steps"\s*:/.test(text)) {
        throw new Error(
            "this is the preview digest of `pulumi preview --json`, which leaves out policy findings. " +
                "Run it with PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true to get the engine events.",
        );
    }
    const events: EngineEvent[] = [];
    const strayLines: string[] = [];
    for (const line of text.split(/\r?\n/)) {
        const trimmed = line.trim();
        if (trimmed === "") {
            continue;
        }
        let value: unknown;
        try {
            value = JSON.parse(trimmed);
        } catch {
            strayLines.push(trimmed);
            continue;
        }
        if (value !== null && typeof value === "object" && !Array.isArray(value) && "sequence" in value) {
            events.push(value as EngineEvent);
        } else {
            strayLines.push(trimmed);
        }
    }
    return { events, strayLines };
}
