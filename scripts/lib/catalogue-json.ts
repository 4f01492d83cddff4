// Writes the workload catalogue's view for the shell scripts (components/shared/catalogue.ts, shellCatalogue)
// as JSON: scripts/images runs it before it reads the services it builds. Generated, never committed:
//   npx ts-node --transpile-only scripts/lib/catalogue-json.ts <out.json>
import * as fs from "node:fs";
import * as path from "node:path";
import { shellCatalogue } from "../../components/shared/catalogue";

const out = process.argv[2];
if (out === undefined) {
    console.error("usage: scripts/lib/catalogue-json.ts <out.json>");
    process.exit(2);
}
fs.mkdirSync(path.dirname(out), { recursive: true });
// Written aside and renamed, so two scripts/images runs at once never read half a file.
const partial = `${out}.${process.pid}`;
fs.writeFileSync(partial, `${JSON.stringify(shellCatalogue(), null, 2)}\n`);
fs.renameSync(partial, out);
