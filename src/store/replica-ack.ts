// Acknowledges a directory write only once replicas hold it. Redis replicates asynchronously, so a
// write the master answered can vanish in a failover; WAIT (https://redis.io/docs/latest/commands/wait/)
// blocks until `replicas` replicas confirmed every write this connection made, and Sentinel promotes the
// replica with the most data, so a confirmed write survives the master's loss.
import type { Redis } from "ioredis";
import { isRedisCluster, type RedisClient } from "./create-redis-client";
import { BridgeError } from "../errors/bridge-error";

export const MSG_NOT_REPLICATED = "write not confirmed by enough Redis replicas; retry";

export interface ReplicaAck {
  /** Replicas that must confirm; 0 acknowledges on the master's answer alone. */
  replicas: number;
  /** Longest wait for them (ms). */
  timeoutMs: number;
}

/**
 * Counts the connection's closes. WAIT covers the writes of *its* connection: one issued on a new
 * connection (after a reconnect, perhaps to a freshly promoted master) would confirm nothing about a
 * write made on the old one, so a close between the write and WAIT's reply means "not confirmed".
 */
const closes = new WeakMap<Redis, { count: number }>();

export function trackConnectionCloses(redis: Redis): void {
  if (closes.has(redis)) return;
  const counter = { count: 0 };
  closes.set(redis, counter);
  redis.on("close", () => {
    counter.count++;
  });
}

function closeCount(redis: Redis): number {
  return closes.get(redis)?.count ?? 0;
}

/**
 * Runs one write (which may take several commands, all on `redis`), then WAITs for its replicas.
 * Fewer confirmations than asked, or a reconnect in between, is Unavailable: the edge answers 503 and
 * the IdP retries (writes are compare-and-set or idempotent, so the retry is harmless).
 */
export async function confirmReplicated<T>(
  client: RedisClient,
  ack: ReplicaAck,
  write: () => Promise<T>,
): Promise<T> {
  if (ack.replicas === 0) return write();
  // On a cluster WAIT would reach whichever node ioredis picks, not the one that took the write: the
  // config refuses redis.waitReplicas with redis.clusterNodes (redis-schema.ts), so this is a defect.
  if (isRedisCluster(client)) throw new Error("redis.waitReplicas is not supported on Redis Cluster");
  const redis: Redis = client;
  trackConnectionCloses(redis);
  const before = closeCount(redis);
  const result = await write();
  const confirmed = await redis.wait(ack.replicas, ack.timeoutMs);
  if (confirmed < ack.replicas || closeCount(redis) !== before)
    throw new BridgeError("Unavailable", MSG_NOT_REPLICATED);
  return result;
}
