// Acknowledges a directory write only once replicas hold it. Redis replicates asynchronously, so a
// write the master answered can vanish in a failover; WAIT (https://redis.io/docs/latest/commands/wait/)
// blocks until `replicas` replicas confirmed every write this connection made, and Sentinel (or Redis
// Cluster's replica election) promotes a replica with the most data, so a confirmed write survives the
// master's loss.
import { Command, type Cluster, type Redis } from "ioredis";
import { BridgeError } from "../errors/bridge-error";
import type { Logger } from "../log/logger";
import { isRedisCluster, type RedisClient } from "./create-redis-client";

export const MSG_NOT_REPLICATED = "write not confirmed by enough Redis replicas; retry";
export const MSG_TOO_FEW_REPLICAS =
  "redis.waitReplicas asks for more replicas than the Redis master has connected: every directory write will answer 503 until they connect (lower redis.waitReplicas, or add replicas)";

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

function notReplicated(): BridgeError {
  return new BridgeError("Unavailable", MSG_NOT_REPLICATED);
}

/**
 * The cluster client's connection to the master serving `slot`, as it would route a command for it
 * now (ioredis keeps `slots[slot][0]` = that master's `host:port`), or undefined before it knows.
 */
export function slotMaster(cluster: Cluster, slot: number): Redis | undefined {
  const nodeKey = cluster.slots[slot]?.[0];
  if (nodeKey === undefined) return undefined;
  return cluster.nodes("all").find((n) => `${n.options.host}:${n.options.port}` === nodeKey);
}

/** The Redis Cluster slot of a key, computed as ioredis routes it (CRC16 of the `{hash tag}`). */
export function keySlot(key: string): number {
  return new Command("get", [key]).getSlot();
}

/**
 * Runs one write (which may take several commands, all on `client`), then WAITs for its replicas.
 * Fewer confirmations than asked, or a reconnect in between, is Unavailable: the edge answers 503 and
 * the IdP retries (writes are compare-and-set or idempotent, so the retry is harmless).
 *
 * On a Redis Cluster every command of the write must hash to the slot of `routeKey` (keybridge's writes
 * touch one tenant's `{kb:<tenant>}` keys, redis-keys.ts): ioredis sends a keyless WAIT to whichever node
 * it picks, so it goes here on the very node connection the write's commands took.
 */
export async function confirmReplicated<T>(
  client: RedisClient,
  ack: ReplicaAck,
  write: () => Promise<T>,
  routeKey?: string,
): Promise<T> {
  if (ack.replicas === 0) return write();
  if (isRedisCluster(client)) {
    if (routeKey === undefined) throw new Error("confirmReplicated on a Redis Cluster needs the written key");
    return confirmOnSlotMaster(client, ack, write, keySlot(routeKey), routeKey);
  }
  const redis: Redis = client;
  trackConnectionCloses(redis);
  const before = closeCount(redis);
  const result = await write();
  const confirmed = await redis.wait(ack.replicas, ack.timeoutMs);
  if (confirmed < ack.replicas || closeCount(redis) !== before) throw notReplicated();
  return result;
}

/**
 * The cluster form: the master serving the slot is looked up before the write and must still be the
 * same connection, never closed, when WAIT answers. A failover or a MOVED between them (the write may
 * have gone elsewhere, and WAIT on a new master's idle connection would count replicas that hold
 * nothing of it) is "not confirmed".
 */
async function confirmOnSlotMaster<T>(
  cluster: Cluster,
  ack: ReplicaAck,
  write: () => Promise<T>,
  slot: number,
  routeKey: string,
): Promise<T> {
  // A client that has not learnt the slot map yet learns it with this one keyed read.
  if (!slotMaster(cluster, slot)) await cluster.exists(routeKey);
  const master = slotMaster(cluster, slot);
  if (!master) throw notReplicated();
  trackConnectionCloses(master);
  const before = closeCount(master);
  const result = await write();
  if (slotMaster(cluster, slot) !== master) throw notReplicated();
  const confirmed = await master.wait(ack.replicas, ack.timeoutMs);
  if (confirmed < ack.replicas || closeCount(master) !== before || slotMaster(cluster, slot) !== master)
    throw notReplicated();
  return result;
}

/**
 * Warns at start when the master has fewer replicas connected than `replicas`. An operator who sets
 * waitReplicas on a Redis without replicas (or with fewer) otherwise sees every SCIM write answer 503
 * and only a per-request "not confirmed" error. A warning, not a refusal: a replica may be restarting.
 * Redis Cluster is left out (the count differs per master; a write's 503 names its slot's shortfall).
 */
export async function warnIfTooFewReplicas(
  client: RedisClient,
  ack: ReplicaAck,
  logger: Logger,
): Promise<void> {
  if (ack.replicas === 0 || isRedisCluster(client)) return;
  const info = String(await client.info("replication"));
  const connected = Number(/^connected_slaves:(\d+)/m.exec(info)?.[1] ?? Number.NaN);
  if (Number.isNaN(connected) || connected >= ack.replicas) return;
  logger.warn({ waitReplicas: ack.replicas, connectedReplicas: connected }, MSG_TOO_FEW_REPLICAS);
}
