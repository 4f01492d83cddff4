import * as assert from "assert";
import * as yaml from "js-yaml";
import { toYaml } from "../../components/monitoring/yaml";

describe("toYaml", () => {
    it("writes documents a YAML parser reads back unchanged, whatever the strings hold", () => {
        const value = {
            plain: "text",
            tricky: ["yes", "no", "null", "0.10", "a: b", "- x", "#hash", 'quote " and \\ slash', "line\nbreak", "{{ $labels.pod }}", ""],
            numbers: [0, 0.005, 15, -1],
            flags: { on: true, off: false, none: null },
            nested: [{ a: 1, b: [{ c: "d" }] }, [], {}],
            "key with space": "v",
            "__name__": "ok",
        };
        assert.deepStrictEqual(yaml.load(toYaml(value)), value);
    });

    it("omits undefined fields, as JSON does", () => {
        assert.deepStrictEqual(yaml.load(toYaml({ a: 1, b: undefined })), { a: 1 });
    });
});
