// The CLI's Redis connection: connects before the first command and fails fast, so an operator whose
// REDIS_URL points nowhere gets one line naming it instead of a hang or an ioredis stack.
import { Redis } from "ioredis";

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

export async function openCliRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (n) => (n > 3 ? null : 200),
  });
  // Connection errors surface through connect() below; unhandled "error" events would only add noise.
  redis.on("error", () => undefined);
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    throw new RedisUnreachableError(
      `cannot reach Redis at ${safeRedisUrl(url)} (${(err as Error).message}): set REDIS_URL (or redisUrl in KEYBRIDGE_CONFIG) to the Redis the keybridge server uses`,
      { cause: err },
    );
  }
  return redis;
}
