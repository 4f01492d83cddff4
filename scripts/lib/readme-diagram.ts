// The README's architecture picture: the default stack's graph drawn by architectureDiagram, kept
// between two markers in README.md. scripts/docs-diagram.ts writes it; test/unit/docs.test.ts compares.
import { architectureDiagram } from "../../components/shared/diagram";
import { METRICS_PORTS, serviceEdges } from "../../components/shared/topology";
import { DEFAULTS } from "../../config/defaults";

export const DIAGRAM_BEGIN = "<!-- architecture: written by scripts/docs-diagram.ts from components/shared/topology.ts; do not edit -->";
export const DIAGRAM_END = "<!-- /architecture -->";

/** The default stack's graph (its routes; the backup on, as prod runs it) as a Mermaid flowchart. */
export function defaultArchitectureDiagram(): string {
    const routes = DEFAULTS.routes;
    const edges = serviceEdges(
        routes.map((route) => route.service),
        { postgresBackup: true },
    );
    return architectureDiagram(routes, edges, METRICS_PORTS);
}

/** The Mermaid source between the markers of `readme`; throws when they are missing. */
export function diagramIn(readme: string): string {
    const begin = readme.indexOf(DIAGRAM_BEGIN);
    const end = readme.indexOf(DIAGRAM_END);
    if (begin < 0 || end < begin) {
        throw new Error(`README.md lacks the architecture markers ${DIAGRAM_BEGIN} … ${DIAGRAM_END}`);
    }
    const block = readme.slice(begin + DIAGRAM_BEGIN.length, end).trim();
    const fenced = /^```mermaid\n([\s\S]*?)\n?```$/.exec(block);
    if (!fenced) {
        throw new Error("README.md's architecture markers must hold exactly one ```mermaid block");
    }
    return fenced[1];
}

/** `readme` with `diagram` between the markers (replacing what was there). */
export function withDiagram(readme: string, diagram: string): string {
    diagramIn(readme);
    const begin = readme.indexOf(DIAGRAM_BEGIN) + DIAGRAM_BEGIN.length;
    const end = readme.indexOf(DIAGRAM_END);
    return `${readme.slice(0, begin)}\n\n\`\`\`mermaid\n${diagram}\n\`\`\`\n\n${readme.slice(end)}`;
}
