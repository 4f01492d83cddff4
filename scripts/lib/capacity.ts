// The reference's capacity table and the margins prod is held to, and the verdict on one measured row.
// Pure, so the bench's met/missed logic is unit-tested (test/unit/capacity.test.ts) without a cluster.

/** The reference's capacity table (per replica): max RPS and p95 latency in ms. */
export const REFERENCE = {
    gateway: { rps: 5000, p95: 5 },
    auth: { rps: 1000, p95: 50 },
    blog: { rps: 2000, p95: 25 },
    comment: { rps: 1500, p95: 30 },
} as const;
export type Tier = keyof typeof REFERENCE;

/**
 * The margins the capacity issue sets on the table: at the reference's rate, p95 at most 0.8x the
 * reference's; as fast as the connections go, at least 1.2x the reference's RPS; no failed request.
 */
export const MARGIN = { p95: 0.8, rps: 1.2 } as const;

/**
 * autocannon's overallRate paces the connections; a run that falls short of the pace by more than this
 * share could not keep up, so its p95 is not a p95 at the reference's rate.
 */
export const RATE_SHORTFALL = 0.02;

/** What a verdict reads from one load run. */
export interface LoadFigures {
    rps: number;
    p95: number;
    non2xx: number;
    errors: number;
}

export interface Verdict<R extends LoadFigures = LoadFigures> {
    tier: Tier;
    atRate: R;
    atMax: R;
    p95Target: number;
    rpsTarget: number;
    met: boolean;
    /** Each way the row falls short, in words; empty when met. */
    why: string[];
}

const fixed = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));

/** Whether one row of the reference's table is met, with the margins: `atRate` paced at the reference's RPS. */
export function verdict<R extends LoadFigures>(tier: Tier, atRate: R, atMax: R): Verdict<R> {
    const reference = REFERENCE[tier];
    const p95Target = reference.p95 * MARGIN.p95;
    const rpsTarget = reference.rps * MARGIN.rps;
    const why: string[] = [];
    if (!(atRate.rps >= reference.rps * (1 - RATE_SHORTFALL))) {
        why.push(`held ${fixed(atRate.rps)} of ${reference.rps} RPS`);
    }
    if (!(atRate.p95 <= p95Target)) {
        why.push(`p95 ${fixed(atRate.p95, 1)} > ${fixed(p95Target, 1)} ms`);
    }
    if (!(atMax.rps >= rpsTarget)) {
        why.push(`saturation ${fixed(atMax.rps)} < ${fixed(rpsTarget)} RPS`);
    }
    const failed = atRate.non2xx + atRate.errors + atMax.non2xx + atMax.errors;
    if (failed > 0) {
        why.push(`${failed} failed requests`);
    }
    return { tier, atRate, atMax, p95Target, rpsTarget, met: why.length === 0, why };
}
