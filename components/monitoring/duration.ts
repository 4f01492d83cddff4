// Prometheus durations ("30s", "1h30m", "15d"): parsing them to seconds, so config can be validated
// and compared, and formatting seconds back for rules.

const UNITS: [string, number][] = [
    ["y", 365 * 86400],
    ["w", 7 * 86400],
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
    ["s", 1],
    ["ms", 0.001],
];

// Prometheus's own grammar: units from largest to smallest, each at most once.
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Seconds in a Prometheus duration; undefined when it is malformed or empty. */
export function parseDuration(text: string): number | undefined {
    const match = DURATION.exec(text);
    if (!match || text === "") {
        return undefined;
    }
    return UNITS.reduce((total, [, factor], i) => total + Number(match[i + 1] ?? 0) * factor, 0);
}
