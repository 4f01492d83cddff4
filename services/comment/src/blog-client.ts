// Asks blog whether a post exists: each call has a timeout, failures are retried with exponential backoff
// and jitter, and an opossum circuit breaker stops calling a failing blog so comment answers 503 fast
// instead of piling up waiting requests.
import CircuitBreaker from "opossum";
import { Gauge, Counter, type Registry } from "prom-client";
import { HttpError, type Logger } from "@blog/shared";

export interface BlogClientOptions {
    baseUrl: string;
    timeoutMs: number;
    retries: number;
    retryBaseMs: number;
    errorThresholdPercentage: number;
    volumeThreshold: number;
    resetTimeoutMs: number;
    registry: Registry;
    log: Logger;
}

/** A 4xx from blog is an answer, not a failure: it must neither be retried nor open the circuit. */
class BlogAnswered extends Error {
    constructor(readonly status: number) {
        super(`blog answered ${status}`);
    }
}

export function blogClient(options: BlogClientOptions) {
    const attempt = async (postId: number): Promise<boolean> => {
        const response = await fetch(`${options.baseUrl}/${postId}`, { signal: AbortSignal.timeout(options.timeoutMs) });
        await response.arrayBuffer();
        if (response.status === 404) {
            throw new BlogAnswered(404);
        }
        if (response.ok) {
            return true;
        }
        if (response.status >= 400 && response.status < 500) {
            throw new BlogAnswered(response.status);
        }
        throw new Error(`blog answered ${response.status}`);
    };
    const breaker = new CircuitBreaker(attempt, {
        name: "blog",
        timeout: false, // the fetch has its own timeout
        errorThresholdPercentage: options.errorThresholdPercentage,
        volumeThreshold: options.volumeThreshold,
        resetTimeout: options.resetTimeoutMs,
        errorFilter: (error: Error) => error instanceof BlogAnswered,
    });
    const state = new Gauge({
        name: "circuit_breaker_open",
        help: "1 while the circuit to a dependency is open (calls fail fast), 0.5 half-open, 0 closed",
        labelNames: ["dependency"] as const,
        registers: [options.registry],
    });
    const retries = new Counter({
        name: "dependency_retries_total",
        help: "Calls to a dependency retried after a failure",
        labelNames: ["dependency"] as const,
        registers: [options.registry],
    });
    state.set({ dependency: "blog" }, 0);
    breaker.on("open", () => {
        state.set({ dependency: "blog" }, 1);
        options.log.warn("circuit to blog opened");
    });
    breaker.on("halfOpen", () => {
        state.set({ dependency: "blog" }, 0.5);
    });
    breaker.on("close", () => {
        state.set({ dependency: "blog" }, 0);
        options.log.info("circuit to blog closed");
    });

    /** True when the post exists, false when blog says it does not; HttpError 503 when blog cannot say. */
    return async (postId: number): Promise<boolean> => {
        for (let attemptNo = 0; ; attemptNo++) {
            try {
                return await breaker.fire(postId);
            } catch (error) {
                if (error instanceof BlogAnswered) {
                    if (error.status === 404) {
                        return false;
                    }
                    throw new HttpError(502, `blog answered ${error.status} when asked about post ${postId}`);
                }
                if (breaker.opened || attemptNo >= options.retries) {
                    const why = breaker.opened ? "circuit open after repeated failures" : (error as Error).message;
                    throw new HttpError(503, `cannot check that post ${postId} exists: blog service unavailable (${why}); retry later`);
                }
                retries.inc({ dependency: "blog" });
                const backoff = options.retryBaseMs * 2 ** attemptNo;
                await new Promise((resolve) => setTimeout(resolve, backoff / 2 + (Math.random() * backoff) / 2));
            }
        }
    };
}
