// Writes docs/config-reference.md, and the description of each key in Pulumi.yaml, from the config schema
// (scripts/lib/config-reference.ts). Run after changing a key, a field, a bound, a default or a description:
//   npx ts-node --transpile-only scripts/docs-config.ts
import * as fs from "node:fs";
import * as path from "node:path";
import { configReference, projectWithDescriptions, REFERENCE_FILE } from "./lib/config-reference";

const ROOT = path.resolve(__dirname, "..");

function write(file: string, text: string): void {
    const full = path.join(ROOT, file);
    if (fs.existsSync(full) && fs.readFileSync(full, "utf8") === text) {
        console.log(`${file} is up to date`);
    } else {
        fs.writeFileSync(full, text);
        console.log(`${file} rewritten from the config schema`);
    }
}

write(REFERENCE_FILE, configReference());
write("Pulumi.yaml", projectWithDescriptions(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")));
