import * as assert from "node:assert/strict";
import { MARGIN, REFERENCE, verdict } from "../../scripts/lib/capacity";

const run = (rps: number, p95: number, failed = 0) => ({ rps, p95, non2xx: failed, errors: 0 });

describe("capacity verdict (scripts/lib/capacity.ts)", () => {
    it("meets a row only with p95 at 0.8x and saturation at 1.2x the reference", () => {
        const v = verdict("blog", run(2000, 19.9), run(2401, 60));
        assert.equal(v.met, true, v.why.join("; "));
        assert.equal(v.p95Target, REFERENCE.blog.p95 * MARGIN.p95);
    });

    it("names each shortfall: p95 over its target, saturation under, failed requests", () => {
        const v = verdict("blog", run(2000, 23.8), run(2300, 60, 3));
        assert.equal(v.met, false);
        assert.deepEqual(v.why, ["p95 23.8 > 20.0 ms", "saturation 2300 < 2400 RPS", "3 failed requests"]);
    });

    it("misses a row whose paced run could not hold the reference's rate, whatever its p95", () => {
        const v = verdict("auth", run(950, 10), run(1300, 40));
        assert.deepEqual(v.why, ["held 950 of 1000 RPS"]);
    });

    it("treats a missing p95 (no response at all) as missed, not as met", () => {
        const v = verdict("comment", run(1500, Number.NaN), run(1900, 20));
        assert.deepEqual(v.why, ["p95 NaN > 24.0 ms"]);
    });
});
