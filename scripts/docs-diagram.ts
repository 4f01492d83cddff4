// Rewrites the README's architecture diagram from the service graph (scripts/lib/readme-diagram.ts).
// Run after changing components/shared/topology.ts or the default routes:
//   npx ts-node --transpile-only scripts/docs-diagram.ts
import * as fs from "node:fs";
import * as path from "node:path";
import { defaultArchitectureDiagram, diagramIn, withDiagram } from "./lib/readme-diagram";

const readmePath = path.resolve(__dirname, "..", "README.md");
const readme = fs.readFileSync(readmePath, "utf8");
const diagram = defaultArchitectureDiagram();
if (diagramIn(readme) === diagram) {
    console.log("README.md's architecture diagram is up to date");
} else {
    fs.writeFileSync(readmePath, withDiagram(readme, diagram));
    console.log("README.md's architecture diagram rewritten from the service graph");
}
