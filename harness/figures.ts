// Figures the scripts measure (resource counts, timings), kept with the date and commit of the measurement in
// docs/figures/<script>.json, and the docs' citations of them (<!-- figure <script>/<name> -->…<!-- /figure -->),
// which test/unit/docs.test.ts holds to the recorded values and scripts/docs-figures.ts rewrites.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./stack-config";

export const FIGURES_DIR = path.join(REPO_ROOT, "docs", "figures");

/** What a script measured, before it is stamped with when and where. */
export interface Measurement {
    value: number;
    /** Written after the value where the docs cite it ("resources", "s", "x"); empty for a bare number. */
    unit: string;
    /** What was measured and how, in a sentence fragment ("resources in a --render preview of the dev stack"). */
    what: string;
}

/** A recorded figure: the measurement, the day (ISO 8601, UTC) and the commit it was measured at. */
export interface Figure extends Measurement {
    date: string;
    commit: string;
    /** True when tracked files other than Markdown and docs/figures/ had uncommitted changes at the time. */
    dirty?: boolean;
}

/** The commit HEAD names in `root` and whether tracked files (but Markdown and docs/figures/) differ from it. */
export function gitState(root = REPO_ROOT): { commit: string; dirty: boolean } {
    const head = spawnSync("git", ["rev-parse", "--short=12", "HEAD"], { cwd: root, encoding: "utf8" });
    if (head.status !== 0) {
        throw new Error(`git rev-parse HEAD failed in ${root}: ${head.stderr.trim()}`);
    }
    // Markdown cannot change a measurement; the figures file is what is being written.
    const status = spawnSync("git", ["status", "--porcelain", "--untracked-files=no", "--", ".", ":!*.md", ":!docs/figures"], {
        cwd: root,
        encoding: "utf8",
    });
    return { commit: head.stdout.trim(), dirty: status.stdout.trim() !== "" };
}

/**
 * Writes `measurements` into docs/figures/<script>.json, stamped with today's date and the commit; figures of
 * the file that were not measured this time are kept as they were. Returns the file written.
 */
export function recordFigures(
    script: string,
    measurements: Record<string, Measurement>,
    options: { dir?: string; now?: Date; git?: { commit: string; dirty: boolean } } = {},
): string {
    const dir = options.dir ?? FIGURES_DIR;
    const file = path.join(dir, `${script}.json`);
    const { commit, dirty } = options.git ?? gitState();
    const date = (options.now ?? new Date()).toISOString().slice(0, 10);
    const figures: Record<string, Figure> = { ...readFigureFile(file) };
    for (const [name, m] of Object.entries(measurements)) {
        figures[name] = { value: m.value, unit: m.unit, what: m.what, date, commit, ...(dirty ? { dirty } : {}) };
    }
    const sorted = Object.fromEntries(Object.entries(figures).sort(([a], [b]) => a.localeCompare(b)));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(sorted, null, 2)}\n`);
    return file;
}

function readFigureFile(file: string): Record<string, Figure> {
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, Figure>) : {};
}

/** Every recorded figure, keyed `<script>/<name>` (the id a doc cites). */
export function readFigures(dir = FIGURES_DIR): Map<string, Figure> {
    const figures = new Map<string, Figure>();
    for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) {
        if (entry.endsWith(".json")) {
            for (const [name, figure] of Object.entries(readFigureFile(path.join(dir, entry)))) {
                figures.set(`${entry.slice(0, -".json".length)}/${name}`, figure);
            }
        }
    }
    return figures;
}

/** How a doc writes a figure: its value and unit ("88 resources", "2.97 s"). */
export function figureText(figure: Measurement): string {
    return figure.unit === "" ? String(figure.value) : `${figure.value} ${figure.unit}`;
}

export interface FigureCitation {
    file: string;
    line: number;
    id: string;
    /** What the doc says between the markers. */
    text: string;
}

const CITATION = /<!-- figure (\S+) -->([^<]*)<!-- \/figure -->/g;

/** The figures `text` (the Markdown file `file`) cites between figure markers. */
export function citedFigures(file: string, text: string): FigureCitation[] {
    return [...text.matchAll(CITATION)].map((match) => ({
        file,
        line: text.slice(0, match.index).split("\n").length,
        id: match[1],
        text: match[2],
    }));
}

/** One line per citation that names no recorded figure or says something else than the record. */
export function figureMismatches(citations: FigureCitation[], figures: ReadonlyMap<string, Figure>): string[] {
    return citations.flatMap((c) => {
        const figure = figures.get(c.id);
        if (figure === undefined) {
            return [`${c.file}:${c.line}: cites ${c.id}, which no file in docs/figures/ records`];
        }
        const expected = figureText(figure);
        return c.text === expected
            ? []
            : [`${c.file}:${c.line}: says "${c.text}" for ${c.id}, recorded as "${expected}" (${figure.date}, ${figure.commit})`];
    });
}

/** `text` with every cited figure written as recorded (unknown ids are left for the check to report). */
export function withFigures(text: string, figures: ReadonlyMap<string, Figure>): string {
    return text.replace(CITATION, (whole, id: string) => {
        const figure = figures.get(id);
        return figure === undefined ? whole : `<!-- figure ${id} -->${figureText(figure)}<!-- /figure -->`;
    });
}
