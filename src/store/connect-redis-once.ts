// A short-lived Redis connection that connects before the first command and fails fast: the CLI uses it,
// and every process probes REDIS_URL with it at start, so a wrong URL is one line naming it, not a hang.
import { Redis, type RedisOptions } from "ioredis";
import type { Config } from "../config/config-schema";
import { describeRedisTarget, newRedisClient } from "./sentinel-options";

/** A Redis URL, or the config (its sentinels when it has any, else its redisUrl). */
export type RedisTarget = string | Pick<Config, "redis" | "redisUrl" | "secrets">;

export const REDIS_UNREACHABLE = "BRIDGE_REDIS_UNREACHABLE";

/** Raised when the CLI cannot reach Redis; main prints its message as the one line. */
export class RedisUnreachableError extends Error {
  readonly code = REDIS_UNREACHABLE;
}

/** The URL without its password, for messages. */
export function safeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable REDIS_URL)";
  }
}

const CONNECT_TIMEOUT_MS = 3_000;

function fix(target: RedisTarget): string {
  if (typeof target !== "string" && target.redis.sentinels.length > 0)
    return "check redis.sentinels (KEYBRIDGE_REDIS_SENTINELS) and redis.sentinelName (KEYBRIDGE_REDIS_SENTINEL_NAME)";
  return "set REDIS_URL (or redisUrl in KEYBRIDGE_CONFIG) to the Redis the keybridge server uses";
}

function where(target: RedisTarget): string {
  if (typeof target === "string") return safeRedisUrl(target);
  return describeRedisTarget(target) ?? safeRedisUrl(target.redisUrl);
}

async function connectWithin(redis: Redis, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([redis.connect(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function connectRedisOnce(target: RedisTarget, timeoutMs = CONNECT_TIMEOUT_MS): Promise<Redis> {
  const options: RedisOptions = {
    lazyConnect: true,
    // ioredis leaves its connect-timeout timer running after a refused connection (a CLI would linger
    // for it); connectWithin below bounds the wait instead.
    connectTimeout: 0,
    maxRetriesPerRequest: 1,
    // A command is short: no reconnect loop (it would keep the process alive after a failure).
    retryStrategy: () => null,
  };
  const url = typeof target === "string" ? target : target.redisUrl;
  const redis = typeof target === "string" ? new Redis(url, options) : newRedisClient(target, options);
  // The socket's own error (ECONNREFUSED…) names the cause better than connect()'s "Connection is closed".
  let socketError: Error | undefined;
  redis.on("error", (err: Error) => {
    socketError ??= err;
  });
  try {
    await connectWithin(redis, timeoutMs);
  } catch (err) {
    // Disconnecting an ended client arms a 2 s force-close timer that would keep the CLI alive.
    if (redis.status !== "end") redis.disconnect();
    const cause = socketError ?? (err as Error);
    throw new RedisUnreachableError(
      `cannot reach Redis at ${where(target)} (${cause.message}): ${fix(target)}`,
      { cause },
    );
  }
  return redis;
}
