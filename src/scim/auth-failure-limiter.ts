// An in-process token bucket per source address for requests that fail authentication (no token, or a
// token no tenant holds): beyond the budget they get 429 before any Redis work, so a flood of guesses
// costs the Redis admission script nothing (issue #9 item 7). Authenticated requests never spend from it,
// and a token that authenticated recently is let through to the Redis check even from an address that is
// over budget: a flood of bad guesses from an egress address the IdP shares must not lock out the IdP
// (and with it the deactivations it sends).
import type { RateLimit } from "./rate-limiter";

interface Bucket {
  tokens: number;
  at: number;
}

/** Bounds the memory one spoofing flood can take: oldest addresses are forgotten first. */
const MAX_ADDRESSES = 10_000;
/** How long a token that authenticated stays known; an IdP's steady traffic keeps it fresh. */
const KNOWN_TOKEN_MS = 10 * 60_000;
const MAX_KNOWN_TOKENS = 10_000;

export class AuthFailureLimiter {
  private readonly buckets = new Map<string, Bucket>();
  /** `tenant|token hash` → when it stops being known. Never a token itself. */
  private readonly known = new Map<string, number>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number,
  ) {}

  private refill(address: string): Bucket {
    const now = this.now();
    const bucket = this.buckets.get(address) ?? { tokens: this.limit.burst, at: now };
    const elapsed = Math.max(0, now - bucket.at) / 1000;
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + elapsed * this.limit.requestsPerSecond);
    bucket.at = now;
    return bucket;
  }

  /** Seconds this address must wait before its next unauthenticated attempt; 0 when it may try now. */
  retryAfterSeconds(address: string): number {
    if (!this.buckets.has(address)) return 0;
    const bucket = this.refill(address);
    if (bucket.tokens >= 1) return 0;
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.limit.requestsPerSecond));
  }

  /** Spends one token of the address's budget (a failed or missing authentication). */
  recordFailure(address: string): void {
    const bucket = this.refill(address);
    bucket.tokens = Math.max(0, bucket.tokens - 1);
    // Re-insert so Map order is least recently failed first, then trim the oldest.
    this.buckets.delete(address);
    this.buckets.set(address, bucket);
    if (this.buckets.size > MAX_ADDRESSES) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
  }

  /** Records that a token (by tenant and hash) authenticated: it may pass an over-budget address. */
  rememberAuthenticated(key: string): void {
    this.known.delete(key);
    this.known.set(key, this.now() + KNOWN_TOKEN_MS);
    if (this.known.size > MAX_KNOWN_TOKENS) {
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
  }

  /**
   * Forgets a token the Redis check just refused (revoked or rotated out): until then it passed an
   * over-budget address, so a leaked revoked token would cost an admission script per request.
   */
  forget(key: string): void {
    this.known.delete(key);
  }

  /** Whether the token authenticated within KNOWN_TOKEN_MS (it still goes through the Redis check). */
  isKnown(key: string): boolean {
    const until = this.known.get(key);
    return until !== undefined && until > this.now();
  }
}
