// Command-line entry of scripts/pr-check and scripts/drift: reads each stack's captured preview, prints
// the text summary, writes the JSON report (and Markdown if asked), and exits 1 when the check fails.
//
//   node -r ts-node/register/transpile-only delivery/cli.ts <pr-check|drift> --dir DIR --json FILE
//        [--markdown FILE] STACK...
//
// For each STACK it reads DIR/STACK.events.jsonl (the output of
// `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json`) and DIR/STACK.stderr.log.
// Exit status: 0 passed, 1 failed, 2 bad usage or unreadable input.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseEngineEvents } from "./engine-events";
import { renderMarkdown, renderText } from "./render";
import { type CheckKind, decide, summarizeStack } from "./summary";

interface Args {
    check: CheckKind;
    dir: string;
    json: string;
    markdown?: string;
    stacks: string[];
}

function parseArgs(argv: string[]): Args {
    const [check, ...rest] = argv;
    if (check !== "pr-check" && check !== "drift") {
        throw new Error(`the first argument must be pr-check or drift (got ${check ?? "nothing"})`);
    }
    const options: Record<string, string> = {};
    const stacks: string[] = [];
    for (let i = 0; i < rest.length; i++) {
        const flag = /^--(dir|json|markdown)$/.exec(rest[i]);
        if (flag) {
            if (rest[i + 1] === undefined) {
                throw new Error(`${rest[i]} needs a value`);
            }
            options[flag[1]] = rest[++i];
        } else if (rest[i].startsWith("--")) {
            throw new Error(`unknown option ${rest[i]}`);
        } else {
            stacks.push(rest[i]);
        }
    }
    if (!options.dir || !options.json || stacks.length === 0) {
        throw new Error("--dir, --json and at least one stack are required");
    }
    return { check, dir: options.dir, json: options.json, markdown: options.markdown, stacks };
}

function readOptional(file: string): string {
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
}

function main(argv: string[]): number {
    let args: Args;
    try {
        args = parseArgs(argv);
    } catch (e) {
        process.stderr.write(
            `error: ${(e as Error).message}\nusage: delivery/cli.ts <pr-check|drift> --dir DIR --json FILE [--markdown FILE] STACK...\n`,
        );
        return 2;
    }
    const summaries = [];
    for (const stack of args.stacks) {
        const eventsFile = path.join(args.dir, `${stack}.events.jsonl`);
        if (!fs.existsSync(eventsFile)) {
            process.stderr.write(`error: ${eventsFile} does not exist: run the preview for stack ${stack} first\n`);
            return 2;
        }
        try {
            const parsed = parseEngineEvents(fs.readFileSync(eventsFile, "utf8"));
            summaries.push(summarizeStack(stack, parsed, readOptional(path.join(args.dir, `${stack}.stderr.log`))));
        } catch (e) {
            process.stderr.write(`error: ${eventsFile}: ${(e as Error).message}\n`);
            return 2;
        }
    }
    const report = decide(args.check, summaries);
    fs.mkdirSync(path.dirname(path.resolve(args.json)), { recursive: true });
    fs.writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
    if (args.markdown) {
        // $GITHUB_STEP_SUMMARY is shared by the job's steps: append, never overwrite.
        fs.appendFileSync(args.markdown, `${renderMarkdown(report)}\n`);
    }
    process.stdout.write(renderText(report));
    process.stdout.write(`\nreport: ${path.resolve(args.json)}\n`);
    return report.passed ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
