// An in-process token bucket per source address for requests that fail authentication (no token, or a
// token no tenant holds): beyond the budget they get 429 before any Redis work, so a flood of guesses
// costs the Redis admission script nothing (issue #9 item 7). Authenticated requests never spend from it.
import type { RateLimit } from "./rate-limiter";

interface Bucket {
  tokens: number;
  at: number;
}

/** Bounds the memory one spoofing flood can take: oldest addresses are forgotten first. */
const MAX_ADDRESSES = 10_000;

export class AuthFailureLimiter {
  private readonly buckets = new Map<string, Bucket>();

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
}
