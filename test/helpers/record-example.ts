// Run as a child process by the components-package tests: records the example program's resources under
// Pulumi's mocks and writes them as JSON to the file named by the first argument. A process of its own,
// because the example sets its labelling for the whole program, as an adopter's program does.
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { recordResources } from "../../harness/record";
import { EXAMPLE_DIR, exampleConfig } from "./example";

const out = process.argv[2];
if (!out) {
    throw new Error("usage: record-example.ts OUTPUT.json");
}
pulumi.runtime.setAllConfig(exampleConfig());
recordResources(() => require(EXAMPLE_DIR), "two-services").then(({ resources }) => {
    fs.writeFileSync(out, JSON.stringify(resources));
});
