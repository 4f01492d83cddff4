import * as assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { rules } from "../../policy/policies";
import { BEGIN, END, renderCatalogue } from "./catalogue-doc";

const DOC = path.resolve(__dirname, "..", "..", "docs", "policy.md");

describe("docs/policy.md", () => {
    it("lists every policy exactly as its metadata says (UPDATE_POLICY_DOCS=1 rewrites the table)", () => {
        const text = fs.readFileSync(DOC, "utf8");
        const [before, rest] = text.split(BEGIN);
        const after = rest?.split(END)[1];
        assert.ok(before !== undefined && after !== undefined, `docs/policy.md lost its ${BEGIN} … ${END} markers`);
        const expected = `${before}${renderCatalogue(rules)}${after}`;
        if (process.env.UPDATE_POLICY_DOCS === "1") {
            fs.writeFileSync(DOC, expected);
        }
        assert.strictEqual(text, expected, "the catalogue table is stale: run UPDATE_POLICY_DOCS=1 npx mocha test/policy/docs.test.ts");
    });
});
