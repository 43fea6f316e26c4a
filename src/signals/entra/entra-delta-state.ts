// The Entra channel's durable state in Redis: each resource's deltaLink (written only after its round is
// applied, so a crash replays the round instead of losing it), the reset epochs, and the poll lock that
// lets exactly one worker process poll a tenant at a time.
import { createHash } from "node:crypto";
import type { RedisClient } from "../../store/create-redis-client";
import { redisKeys } from "../../store/redis-keys";

export type DeltaResource = "users" | "groups";

export interface ResourceDeltaState {
  /** The deltaLink to start the next round from; null = a full (baseline) round. */
  link: string | null;
  epoch: number;
}

export async function readDeltaState(
  redis: RedisClient,
  tenant: string,
  r: DeltaResource,
): Promise<ResourceDeltaState> {
  const [link, epoch] = await redis.hmget(redisKeys.entraDelta(tenant), r, `${r}:epoch`);
  return { link: link ?? null, epoch: Number(epoch ?? 0) };
}

/** A round's id: the same start (link and epoch) gives the same id, so a replayed round dedupes. */
export function roundIdOf(r: DeltaResource, state: ResourceDeltaState): string {
  const start = `${r}|${state.epoch}|${state.link ?? "baseline"}`;
  return createHash("sha256").update(start).digest("base64url").slice(0, 16);
}

export async function saveDeltaLink(
  redis: RedisClient,
  tenant: string,
  r: DeltaResource,
  link: string,
): Promise<void> {
  await redis.hset(redisKeys.entraDelta(tenant), r, link);
}

/** Graph said the delta state is gone: forget the link and start a new epoch (a new baseline's ids). */
export async function resetDelta(redis: RedisClient, tenant: string, r: DeltaResource): Promise<void> {
  await redis
    .multi()
    .hdel(redisKeys.entraDelta(tenant), r)
    .hincrby(redisKeys.entraDelta(tenant), `${r}:epoch`, 1)
    .exec();
}

const RENEW = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`;

/** Takes or renews the tenant's poll lock for `ttlMs`; false when another process holds it. */
export async function holdPollLock(
  redis: RedisClient,
  tenant: string,
  owner: string,
  ttlMs: number,
): Promise<boolean> {
  const key = redisKeys.entraPollLock(tenant);
  if ((await redis.set(key, owner, "PX", ttlMs, "NX")) === "OK") return true;
  return (await redis.eval(RENEW, 1, key, owner, String(ttlMs))) === 1;
}

export async function releasePollLock(redis: RedisClient, tenant: string, owner: string): Promise<void> {
  await redis.eval(RELEASE, 1, redisKeys.entraPollLock(tenant), owner);
}
