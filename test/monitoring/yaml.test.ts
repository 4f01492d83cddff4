import * as assert from "node:assert";
import * as yaml from "js-yaml";
import { stringify } from "yaml";
import { CONFIG_YAML } from "../../components/monitoring/defaults";

describe("generated config YAML (the yaml package with CONFIG_YAML)", () => {
    it("writes documents another YAML parser reads back unchanged, whatever the strings hold", () => {
        const value = {
            plain: "text",
            tricky: ["yes", "no", "null", "0.10", "a: b", "- x", "#hash", 'quote " and \\ slash', "line\nbreak", "{{ $labels.pod }}", ""],
            numbers: [0, 0.005, 15, -1],
            flags: { on: true, off: false, none: null },
            nested: [{ a: 1, b: [{ c: "d" }] }, [], {}],
            "key with space": "v",
            __name__: "ok",
        };
        assert.deepStrictEqual(yaml.load(stringify(value, CONFIG_YAML)), value);
    });

    it("quotes the strings YAML 1.1 readers (Go's yaml) would take for booleans", () => {
        const text = stringify({ values: ["yes", "on", "off", "no"] }, CONFIG_YAML);
        assert.deepStrictEqual(yaml.load(text, { schema: yaml.DEFAULT_SCHEMA }), { values: ["yes", "on", "off", "no"] });
        assert.match(text, /- "yes"\n +- "on"\n +- "off"\n +- "no"/);
    });

    it("omits undefined fields, as JSON does", () => {
        assert.deepStrictEqual(yaml.load(stringify({ a: 1, b: undefined }, CONFIG_YAML)), { a: 1 });
    });
});
