// Per-tenant token bucket kept in Redis (one Lua step), so every API process shares one budget; the
// result feeds 429 + Retry-After and the x-rate-limit-* headers SailPoint reads (scim-clients.md §2.3).
// The same step checks the bearer token's hash against the tenant's tokens, so admitting a request costs
// one Redis round trip and a revoked token fails on the very next request (no in-process token cache).
import type { RedisClient } from "../store/create-redis-client";
import type { Config } from "../config/config-schema";
import { redisKeys } from "../store/redis-keys";

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** Seconds to wait before retrying (0 when allowed). */
  retryAfterSeconds: number;
}

export interface RateLimit {
  requestsPerSecond: number;
  burst: number;
}

// KEYS[1] the tenant's tokens (hash tokenId → JSON with `hash`, found as a plain substring: decoding every
// token's JSON on every request cost more than the rest of the step), KEYS[2] the bucket; ARGV rate
// (tokens/s), burst, sha256 hex of the presented token. An unknown token returns {-1, 0, 0} and takes
// nothing from the bucket (authentication comes before the rate limit). Comparing sha256 digests, not
// secrets, leaks nothing useful through timing. Time comes from the Redis server so processes with
// drifting clocks agree. Returns {allowed, remaining*1000, waitMs}.
const ADMIT_LUA = `
local known = false
local needle = '"hash":"' .. ARGV[3] .. '"'
for _, raw in ipairs(redis.call('HVALS', KEYS[1])) do
  if string.find(raw, needle, 1, true) then known = true end
end
if not known then return {-1, 0, 0} end
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[2], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then tokens = burst; at = now end
tokens = math.min(burst, tokens + (math.max(0, now - at) * rate / 1000))
local allowed = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  wait = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[2], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[2], math.ceil(burst * 1000 / rate) + 1000)
return {allowed, math.floor(tokens * 1000), wait}
`;

export function rateLimitFor(config: Config, tenant: string): RateLimit {
  return config.tenants.find((t) => t.id === tenant)?.rateLimit ?? config.scim.rateLimit;
}

export class RateLimiter {
  private readonly redis: RedisClient;
  constructor(redis: RedisClient) {
    this.redis = redis;
    this.redis.defineCommand("kbAdmit", { numberOfKeys: 2, lua: ADMIT_LUA });
  }

  /**
   * Checks the presented token (sha256 hex, see tokenHash) and takes one request from the tenant's
   * bucket; "unauthorized" when no token of the tenant has that hash.
   */
  async admit(
    tenant: string,
    presentedHash: string,
    limit: RateLimit,
  ): Promise<RateDecision | "unauthorized"> {
    const admit = (this.redis as unknown as Record<string, (...args: unknown[]) => Promise<number[]>>)
      .kbAdmit as (...args: unknown[]) => Promise<number[]>;
    const [allowed = 0, milliTokens = 0, waitMs = 0] = await admit.call(
      this.redis,
      redisKeys.tenantTokens(tenant),
      redisKeys.tenantRateLimit(tenant),
      limit.requestsPerSecond,
      limit.burst,
      presentedHash,
    );
    if (allowed === -1) return "unauthorized";
    const tokens = milliTokens / 1000;
    return {
      allowed: allowed === 1,
      limit: limit.burst,
      remaining: Math.floor(tokens),
      resetSeconds: Math.ceil((limit.burst - tokens) / limit.requestsPerSecond),
      retryAfterSeconds: allowed === 1 ? 0 : Math.max(1, Math.ceil(waitMs / 1000)),
    };
  }
}
