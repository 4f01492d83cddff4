// Rewrites every figure the docs cite (<!-- figure <script>/<name> -->…<!-- /figure -->) as docs/figures/
// records it (harness/figures.ts). Run after a benchmark recorded new figures:
//   npx ts-node --transpile-only scripts/docs-figures.ts
import * as fs from "node:fs";
import * as path from "node:path";
import { readFigures, withFigures } from "../harness/figures";
import { REPO_ROOT, trackedMarkdown } from "../harness/repo-files";

const figures = readFigures();
for (const file of trackedMarkdown()) {
    const full = path.join(REPO_ROOT, file);
    const text = fs.readFileSync(full, "utf8");
    const rewritten = withFigures(text, figures);
    if (rewritten !== text) {
        fs.writeFileSync(full, rewritten);
        console.log(`${file}: figures rewritten from docs/figures/`);
    }
}
