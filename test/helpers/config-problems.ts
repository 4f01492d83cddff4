// Shared checks for config validation tests: parse, expect rejection, and judge each message.
import * as assert from "node:assert";
import { ConfigError, parseConfig } from "../../config";
import type { FileReader } from "../../config/kubeconfig";

/** The problems parseConfig reports for raw config that must be rejected. */
export function problemsOf(raw: Record<string, string>, files?: FileReader): string[] {
    try {
        parseConfig(raw, files);
    } catch (error) {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
        return error.problems;
    }
    assert.fail("expected the config to be rejected");
}

/** One `it` per bad value: some problem matches, and no message prints undefined or an object. */
export function itRejectsEach<T>(badValues: [string, T, RegExp][], rawFor: (value: T) => Record<string, string>): void {
    for (const [what, value, expected] of badValues) {
        it(`rejects ${what} with one message naming the key, the value and the fix`, () => {
            const problems = problemsOf(rawFor(value));
            assert.ok(
                problems.some((p) => expected.test(p)),
                `no problem matched ${expected}:\n${problems.join("\n")}`,
            );
            for (const problem of problems) {
                assert.doesNotMatch(problem, /undefined|\[object Object\]/, problem);
            }
        });
    }
}
