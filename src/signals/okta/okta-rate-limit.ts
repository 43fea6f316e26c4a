// Decides how long the System Log poller waits after an answer, from Okta's rate-limit headers
// (developer.okta.com/docs/reference/rl-best-practices: X-Rate-Limit-Limit/-Remaining/-Reset, Reset in
// UTC epoch seconds). Pure; the poller applies the pause.

export interface RateLimitState {
  limit?: number;
  remaining?: number;
  /** X-Rate-Limit-Reset in ms since the epoch, on Okta's clock. */
  resetAtMs?: number;
  /** The answer's `Date` in ms, Okta's clock; lets us measure the wait on their clock, not ours. */
  serverNowMs?: number;
}

/** Reads the headers through a getter (node-fetch Headers or a plain map). */
export function readRateLimit(get: (name: string) => string | null | undefined): RateLimitState {
  const num = (name: string) => {
    const value = get(name);
    const n = value === null || value === undefined ? Number.NaN : Number(value);
    return Number.isFinite(n) ? n : undefined;
  };
  const reset = num("x-rate-limit-reset");
  const date = get("date");
  const serverNow = date ? Date.parse(date) : Number.NaN;
  return {
    limit: num("x-rate-limit-limit"),
    remaining: num("x-rate-limit-remaining"),
    resetAtMs: reset === undefined ? undefined : reset * 1000,
    serverNowMs: Number.isNaN(serverNow) ? undefined : serverNow,
  };
}

/** Okta counts in one-minute windows; without a Reset header a 429 waits out one window. */
const DEFAULT_WAIT_MS = 60_000;
const MAX_WAIT_MS = 15 * 60_000;
/** Okta's own SDK adds a second for sub-second clock differences; so do we. */
const SKEW_MS = 1000;

/**
 * The part of the bucket we leave to the org's other System Log readers (a SIEM, Okta's own console):
 * the log endpoint's bucket is small and org-wide, and draining it would starve them.
 */
export function reserveOf(limit: number | undefined): number {
  return limit === undefined ? 0 : Math.max(1, Math.ceil(limit * 0.1));
}

/** Milliseconds to wait before the next request: > 0 after a 429 or when the bucket is nearly empty. */
export function rateLimitPauseMs(state: RateLimitState, status: number, localNowMs: number): number {
  const low = state.remaining !== undefined && state.remaining <= reserveOf(state.limit);
  if (status !== 429 && !low) return 0;
  if (state.resetAtMs === undefined) return status === 429 ? DEFAULT_WAIT_MS : 0;
  const wait = state.resetAtMs - (state.serverNowMs ?? localNowMs) + SKEW_MS;
  return Math.min(MAX_WAIT_MS, Math.max(SKEW_MS, wait));
}
