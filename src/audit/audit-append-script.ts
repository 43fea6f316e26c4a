// The Redis side of AuditTrail.append: a compare-and-set on the chain head. Lua in Redis has no
// sha256, so Node computes the hashes and this script only accepts the batch if the head is still the
// one the hashes were chained to; XADD, head update and the check run as one atomic step. A batch moved
// from a tenant's audit outbox also carries a second compare-and-set, on that tenant's moved mark, so
// each outbox entry reaches the chain exactly once whichever process moves it (audit-outbox.ts).
import { createHash } from "node:crypto";
import type { RedisClient } from "../store/create-redis-client";
import { redisKeys } from "../store/redis-keys";
import { GENESIS_HASH } from "./audit-record";

const APPEND_SCRIPT = `
if ARGV[6] ~= '' and tonumber(redis.call('HGET', KEYS[3], ARGV[6]) or '0') ~= tonumber(ARGV[7]) then
  return 2
end
local head = redis.call('HGET', KEYS[2], 'hash')
if not head then
  if redis.call('XLEN', KEYS[1]) > 0 then return redis.error_reply('AUDIT_HEAD_MISSING') end
  head = ARGV[2]
end
if head ~= ARGV[1] then return 0 end
for i = 9, #ARGV, 2 do
  redis.call('XADD', KEYS[1], ARGV[i] .. '-0', 'r', ARGV[i + 1])
end
redis.call('HSET', KEYS[2], 'seq', ARGV[3], 'hash', ARGV[4], 'time', ARGV[5])
if ARGV[6] ~= '' then redis.call('HSET', KEYS[3], ARGV[6], ARGV[8]) end
return 1
`;
const APPEND_SHA = createHash("sha1").update(APPEND_SCRIPT).digest("hex");

export interface AuditHead {
  seq: number;
  hash: string;
  /** ISO time of the head record; "" for an empty trail. */
  time: string;
}

export const EMPTY_HEAD: AuditHead = { seq: 0, hash: GENESIS_HASH, time: "" };

export async function readAuditHead(redis: RedisClient): Promise<AuditHead | undefined> {
  const h = await redis.hgetall(redisKeys.auditHead());
  if (h.hash === undefined || h.seq === undefined) return undefined;
  return { seq: Number(h.seq), hash: h.hash, time: h.time ?? "" };
}

/** An outbox batch: the tenant's moved mark must still be `expect`, and becomes `next` with the batch. */
export interface OutboxMark {
  tenant: string;
  expect: number;
  next: number;
}

/**
 * Appends records chained to `expected`: "appended"; "head_moved" when another writer moved the head
 * first (chain again and retry); "mark_moved" when another process already moved this outbox batch.
 */
export async function appendIfHead(
  redis: RedisClient,
  expected: AuditHead,
  next: AuditHead,
  records: { seq: number; text: string }[],
  mark?: OutboxMark,
): Promise<"appended" | "head_moved" | "mark_moved"> {
  const keys = [redisKeys.auditLog(), redisKeys.auditHead(), redisKeys.auditOutboxMoved()];
  const args = [expected.hash, GENESIS_HASH, String(next.seq), next.hash, next.time];
  args.push(mark?.tenant ?? "", String(mark?.expect ?? 0), String(mark?.next ?? 0));
  for (const r of records) args.push(String(r.seq), r.text);
  let result: unknown;
  try {
    result = await redis.evalsha(APPEND_SHA, keys.length, ...keys, ...args);
  } catch (err) {
    if (!String((err as Error).message).includes("NOSCRIPT")) throw err;
    result = await redis.eval(APPEND_SCRIPT, keys.length, ...keys, ...args);
  }
  return result === 1 ? "appended" : result === 2 ? "mark_moved" : "head_moved";
}
