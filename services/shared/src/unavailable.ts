// Errors that mean a dependency every replica shares (PostgreSQL, Redis) cannot be reached right now, as
// opposed to a bug or a bad request. The service answers them with its own 503 and a Retry-After, and
// stays in rotation: taking every replica out for a dependency they all share would only turn that
// answer into the gateway's 502 and lose the requests that do not need it (cached reads, token checks).
/** Socket-level failures, as Node and both clients report them (error.code). */
const NETWORK_CODES: ReadonlySet<string> = new Set([
    "ECONNREFUSED",
    "ECONNRESET",
    "ENOTFOUND",
    "EAI_AGAIN",
    "ETIMEDOUT",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "EPIPE",
]);
/** PostgreSQL SQLSTATEs of a server that is going away or not yet accepting: admin_shutdown, crash_shutdown, cannot_connect_now. */
const POSTGRES_GOING_AWAY: ReadonlySet<string> = new Set(["57P01", "57P02", "57P03"]);
/**
 * What pg and ioredis throw with no code for an unreachable server: pg's pool connect timeout and a
 * connection that dies mid-query; ioredis refusing a command while disconnected (enableOfflineQueue is
 * off) and its per-command timeout. Matched by message because neither library gives these a code.
 */
const NO_CODE_MESSAGES = [
    /^timeout exceeded when trying to connect$/,
    /^Connection terminated( unexpectedly| due to connection timeout)?$/,
    /^Stream isn't writeable and enableOfflineQueue options is false$/,
    /^Command timed out$/,
    /^Connection is closed\.$/,
];

/** True when `error` says a shared dependency is unreachable (see above), not that the request failed on its own. */
export function isDependencyUnavailable(error: unknown): boolean {
    if (!(error instanceof Error)) {
        return false;
    }
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && (NETWORK_CODES.has(code) || POSTGRES_GOING_AWAY.has(code) || code.startsWith("08"))) {
        return true;
    }
    if (error.name === "MaxRetriesPerRequestError") {
        return true;
    }
    return NO_CODE_MESSAGES.some((pattern) => pattern.test(error.message));
}
