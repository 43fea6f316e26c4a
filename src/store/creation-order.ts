// Puts the ids a filter matched into creation order (the paging order) in bounded stretches: an OR of
// prefix terms can match every user, and one ZMSCORE of 10,000 ids (its command built, its reply decoded
// and the sort, in one event-loop turn, with the page's STRLEN pipeline after it) was the longest block
// of the 64-term OR row of bench:stall (issue #9 item 3: at most 50 ms per request).
import type { RedisClient } from "./create-redis-client";
import { YIELD_FROM_ITEMS, yieldToEventLoop } from "./yield-to-event-loop";

/** Ids scored per ZMSCORE: each reply is decoded in its own turn, about a millisecond each. */
export const ORDER_CHUNK = 1_000;

/**
 * `ids` ordered by their score in the sorted set `orderKey` (the creation sequence); ids without a score
 * (deleted meanwhile) are dropped. Equal to one ZMSCORE and a sort, but never more than `chunk` ids per
 * command, and the caller resumes in a fresh turn after a long list.
 */
export async function inCreationOrder(
  redis: RedisClient,
  orderKey: string,
  ids: readonly string[],
  chunk = ORDER_CHUNK,
): Promise<string[]> {
  if (ids.length === 0) return [];
  const seqs = new Float64Array(ids.length);
  // One chunk at a time: sent together, the replies could arrive in one read and decode in one turn.
  for (let from = 0; from < ids.length; from += chunk) {
    const part = ids.slice(from, from + chunk);
    const scores = await redis.zmscore(orderKey, ...part);
    for (let i = 0; i < part.length; i++) {
      const score = scores[i];
      seqs[from + i] = score == null ? Number.NaN : Number(score);
    }
  }
  // Sorting positions in a typed array by a typed array of keys allocates nothing per id.
  let kept = 0;
  const order = new Uint32Array(ids.length);
  for (let i = 0; i < ids.length; i++) if (!Number.isNaN(seqs[i] as number)) order[kept++] = i;
  // Ties (never expected: one sequence number per resource) keep the matched order, as a stable sort would.
  const sorted = order.subarray(0, kept).sort((a, b) => (seqs[a] as number) - (seqs[b] as number) || a - b);
  const out = Array.from(sorted, (i) => ids[i] as string);
  // What the caller does next (the page's size pipeline and MGET) then starts a turn of its own.
  if (ids.length >= YIELD_FROM_ITEMS) await yieldToEventLoop();
  return out;
}
