// ioredis options for the SCIM request path: fail fast when Redis is away, so an IdP gets a prompt
// 503 instead of a hung request (Entra gives up after 60 s, Okta after 30 s: scim-clients.md §2.4).
import type { RedisOptions } from "ioredis";

export const REQUEST_PATH_REDIS_OPTIONS: RedisOptions = {
  /**
   * Commands issued in the same event-loop turn (many concurrent requests) go out as one write and
   * come back as one read: fewer syscalls per request. Order on the connection is unchanged.
   */
  enableAutoPipelining: true,
  /** Retry a command at most once across a reconnect, then fail. */
  maxRetriesPerRequest: 1,
  /** While disconnected, reject commands at once instead of queueing them. */
  enableOfflineQueue: false,
  /** A command without a reply after 2 s fails (covers a Redis that accepts but stalls). */
  commandTimeout: 2_000,
  connectTimeout: 2_000,
  /** Keep reconnecting in the background, backing off to 1 s. */
  retryStrategy: (attempt: number) => Math.min(attempt * 50, 1_000),
  /** Connect explicitly (`await redis.connect()`) before serving: with no offline queue, commands
   * issued before the first connection would fail. */
  lazyConnect: true,
};
