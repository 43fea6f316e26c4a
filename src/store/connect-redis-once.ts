// A short-lived Redis connection that connects before the first command and fails fast: the CLI uses it,
// and every process probes REDIS_URL with it at start, so a wrong URL is one line naming it, not a hang.
import { DEFAULT_SENTINEL_NAME } from "../config/redis-schema";
import { createRedisClient, type RedisClient, type RedisTarget } from "./create-redis-client";

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

async function connectWithin(redis: RedisClient, ms: number): Promise<void> {
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

/** The Redis a message names: the cluster's seed nodes, the sentinels, else the URL without its password. */
export function describeRedisTarget(target: RedisTarget): string {
  const nodes = target.redis?.clusterNodes;
  if (nodes && nodes.length > 0) return `the Redis Cluster ${nodes.join(",")}`;
  const sentinels = target.redis?.sentinels ?? [];
  if (sentinels.length > 0)
    return `master ${target.redis?.sentinelName ?? DEFAULT_SENTINEL_NAME} of sentinels ${sentinels.join(",")}`;
  return safeRedisUrl(target.redisUrl);
}

/** What to check, for the message: the settings that named the Redis that did not answer. */
function fix(target: RedisTarget): string {
  if ((target.redis?.clusterNodes?.length ?? 0) > 0)
    return "check redis.clusterNodes (KEYBRIDGE_REDIS_CLUSTER_NODES)";
  if ((target.redis?.sentinels?.length ?? 0) > 0)
    return "check redis.sentinels (KEYBRIDGE_REDIS_SENTINELS) and redis.sentinelName (KEYBRIDGE_REDIS_SENTINEL_NAME)";
  return "set REDIS_URL (or redisUrl in KEYBRIDGE_CONFIG) to the Redis the keybridge server uses";
}

export async function connectRedisOnce(
  target: RedisTarget | string,
  timeoutMs = CONNECT_TIMEOUT_MS,
): Promise<RedisClient> {
  const where = typeof target === "string" ? { redisUrl: target } : target;
  const redis = createRedisClient(where, {
    lazyConnect: true,
    // ioredis leaves its connect-timeout timer running after a refused connection (a CLI would linger
    // for it); connectWithin below bounds the wait instead.
    connectTimeout: 0,
    maxRetriesPerRequest: 1,
    // A command is short: no reconnect loop (it would keep the process alive after a failure).
    retryStrategy: () => null,
  });
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
      `cannot reach Redis at ${describeRedisTarget(where)} (${cause.message}): ${fix(where)}`,
      { cause },
    );
  }
  return redis;
}
