// Test data for the delivery summary: recorded CLI streams and small constructors for engine events.
//
// fixtures/recorded/*.events.jsonl are real `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview
// --json` streams from CLI 3.259 on the program in fixtures/probe (cli-shape.test.ts reruns that
// program), trimmed: debug diagnostics and resource states removed, paths shortened. Each is named for
// the case it shows; *.stderr.log holds what the CLI printed to standard error.
import * as fs from "node:fs";
import * as path from "node:path";
import { type EngineEvent, type EnforcementLevel, parseEngineEvents, type StepOp } from "../../delivery/engine-events";
import { type StackSummary, summarizeStack } from "../../delivery/summary";

export const RECORDED_DIR = path.join(__dirname, "fixtures", "recorded");

/** The summary of a recorded stream, under the recording's name. */
export function recorded(name: string): StackSummary {
    const read = (suffix: string) => {
        const file = path.join(RECORDED_DIR, `${name}.${suffix}`);
        return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    };
    return summarizeStack(name, parseEngineEvents(read("events.jsonl")), read("stderr.log"));
}

let sequence = 0;
function stamp(event: Omit<EngineEvent, "sequence" | "timestamp">): EngineEvent {
    sequence += 1;
    return { sequence, timestamp: 1_800_000_000, ...event };
}

export function urn(type: string, name: string, stack = "dev"): string {
    return `urn:pulumi:${stack}::blog-platform::${type}::${name}`;
}

export const STACK_URN = urn("pulumi:pulumi:Stack", "blog-platform-dev");

export function step(op: StepOp, resourceUrn: string, diffs?: string[], detailedPaths?: string[]): EngineEvent {
    const type = resourceUrn.split("::")[2].split("$").pop()!;
    const detailedDiff = detailedPaths && Object.fromEntries(detailedPaths.map((p) => [p, { diffKind: "update", inputDiff: false }]));
    return stamp({
        resourcePreEvent: {
            metadata: { op, urn: resourceUrn, type, ...(diffs ? { diffs } : {}), ...(detailedDiff ? { detailedDiff } : {}) },
        },
    });
}

export function violation(
    policyName: string,
    enforcementLevel: EnforcementLevel,
    resourceUrn: string | undefined,
    message: string,
): EngineEvent {
    return stamp({
        policyEvent: {
            resourceUrn,
            message: `Description of ${policyName}.\n${message}\n`,
            policyName,
            policyPackName: "kubernetes-guardrails",
            enforcementLevel,
        },
    });
}

export function diagnostic(severity: "info" | "warning" | "error", message: string, about?: string): EngineEvent {
    return stamp({ diagnosticEvent: { urn: about, prefix: `${severity}: `, message: `${message}\n`, severity } });
}

export function summary(result: "succeeded" | "failed", resourceChanges: Partial<Record<StepOp, number>> = {}): EngineEvent {
    return stamp({ summaryEvent: { maybeCorrupt: false, durationSeconds: 3, resourceChanges, isPreview: true, result } });
}

/** A stream as the CLI prints it: one JSON object per line. */
export function stream(events: EngineEvent[]): string {
    return `${events.map((e) => JSON.stringify(e)).join("\n")}\n`;
}

export const DEPLOYMENT = urn("blog:service:StatelessService$kubernetes:apps/v1:Deployment", "blog-auth");
export const SERVICE = urn("blog:service:StatelessService$kubernetes:core/v1:Service", "blog-auth");
export const NAMESPACE = urn("kubernetes:core/v1:Namespace", "blog");
