// Sends a big member plan (an Okta full push: up to 200,000 ids) to Redis ahead of the save script, in
// lists of small RPUSHes, so that no single command carries megabytes: building, copying and writing one
// 10 MiB script argument blocked the event loop for 70-350 ms (issue #9 item 3). The save script then
// reads the lists, deletes them and applies them together with the version compare-and-set and the audit
// outbox record, exactly as if the ids had come in its argument: staging changes no outcome.
import { randomUUID } from "node:crypto";
import type { RedisClient } from "./create-redis-client";
import { redisKeys } from "./redis-keys";
import type { MemberPlan } from "./save-plan";

/** Plans naming at least this many ids (add + remove) are staged; smaller ones ride in the argument. */
export const STAGE_FROM_IDS = 2_000;

/** Ids per RPUSH: ~75 KB of arguments, well under a millisecond to encode. */
const IDS_PER_PUSH = 2_000;

/**
 * Lifetime of staged lists whose save never ran (the process died in between). The script checks the
 * counts, so a list that expired before its save only fails that save (503, the IdP retries).
 */
export const STAGE_TTL_MS = 5 * 60_000;

/** Where a staged plan lives and how long each list must be when the script reads it. */
export interface StagedMembers {
  add: string;
  remove: string;
  addCount: number;
  removeCount: number;
}

export function shouldStage(plan: MemberPlan): boolean {
  return plan.add.length + plan.remove.length >= STAGE_FROM_IDS;
}

async function push(redis: RedisClient, key: string, ids: string[], ttlMs: number): Promise<void> {
  for (let i = 0; i < ids.length; i += IDS_PER_PUSH) {
    const batch = ids.slice(i, i + IDS_PER_PUSH);
    // The TTL comes with the first push, so not even a crash after it can leave the list forever.
    if (i === 0)
      await redis
        .multi()
        .rpush(key, ...batch)
        .pexpire(key, ttlMs)
        .exec();
    else await redis.rpush(key, ...batch);
  }
}

/** Pushes the plan's ids into two fresh lists in the tenant's slot; each await lets other work run. */
export async function stageMembers(
  redis: RedisClient,
  tenant: string,
  plan: MemberPlan,
  ttlMs = STAGE_TTL_MS,
): Promise<StagedMembers> {
  const stage = randomUUID();
  const staged: StagedMembers = {
    add: redisKeys.memberStage(tenant, stage, "add"),
    remove: redisKeys.memberStage(tenant, stage, "remove"),
    addCount: plan.add.length,
    removeCount: plan.remove.length,
  };
  try {
    await push(redis, staged.add, plan.add, ttlMs);
    await push(redis, staged.remove, plan.remove, ttlMs);
  } catch (err) {
    await dropStage(redis, staged);
    throw err;
  }
  return staged;
}

/** Best-effort clean-up when the save did not run (the TTL covers a Redis that is away). */
export async function dropStage(redis: RedisClient, staged: StagedMembers): Promise<void> {
  await redis.del(staged.add, staged.remove).catch(() => undefined);
}
