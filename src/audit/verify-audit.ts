// Walks the whole audit chain in pages and names the first record that was changed, removed,
// reordered or inserted, so an operator can show a regulator that the trail is intact (or where not).
import type { RedisClient } from "../store/create-redis-client";
import { redisKeys } from "../store/redis-keys";
import { AuditLogCursor } from "./audit-log-cursor";
import { type AuditRecord, GENESIS_HASH, hashRecord, parseRecord } from "./audit-record";

export type AuditProblem = "changed" | "removed" | "reordered" | "inserted";

export interface AuditFinding {
  /** The seq where the chain breaks (see docs/audit.md "What verify reports"). */
  seq: number;
  problem: AuditProblem;
  /** Constant text for the few cases where the kind alone does not say enough. */
  detail?: string;
}

export interface VerifyResult {
  ok: boolean;
  /**
   * Records read from the stream: all of them up to the stream's end when verify started (records
   * appended while it runs are outside this verification; the next one covers them).
   */
  count: number;
  /** The last good record: an operator can store it elsewhere as an anchor. */
  head: { seq: number; hash: string };
  firstBad?: AuditFinding;
}

export const HEAD_MISSING = "the head key is missing; records after this seq may have been removed";
export const HEAD_BEHIND = "the head key is behind the stream";
export const LINK_BROKEN =
  "this record or the next was edited and re-sealed: the link between them is broken";
export const ANCHOR_MISMATCH = "the record at this seq does not have the anchored hash";

interface Link {
  seq: number;
  hash: string;
}

function validRecord(text: string | undefined): AuditRecord | undefined {
  const record = text === undefined ? undefined : parseRecord(text);
  return record && hashRecord(record) === record.hash ? record : undefined;
}

function links(record: AuditRecord | undefined, last: Link): boolean {
  return record !== undefined && record.seq === last.seq + 1 && record.prevHash === last.hash;
}

/** Reads the rest of the stream looking for `seq`: a missing seq found later was moved, not removed. */
async function appearsLater(cursor: AuditLogCursor, seq: number): Promise<boolean> {
  for (let entry = await cursor.next(); entry; entry = await cursor.next()) {
    if (parseRecord(entry.text)?.seq === seq) return true;
  }
  return false;
}

/** Says what is wrong at the first entry that does not link to `last` (`beforeLast` is its prevHash). */
async function classify(
  record: AuditRecord | undefined,
  last: Link,
  beforeLast: string,
  cursor: AuditLogCursor,
): Promise<AuditFinding> {
  const expected = last.seq + 1;
  const next = validRecord((await cursor.peek())?.text);
  // The entry after this one links to `last`: this entry is out of place (its successor if it chains
  // onto that entry: two neighbours swapped) or foreign, whatever it says.
  if (links(next, last)) {
    const swapped = record !== undefined && record.seq > expected && record.prevHash === next!.hash;
    return { seq: expected, problem: swapped ? "reordered" : "inserted" };
  }
  if (record === undefined) return { seq: expected, problem: "changed" };
  if (record.seq === expected)
    return last.seq === 0
      ? { seq: 1, problem: "changed" }
      : { seq: last.seq, problem: "changed", detail: LINK_BROKEN };
  if (record.seq > expected) {
    const moved = await appearsLater(cursor, expected);
    return { seq: expected, problem: moved ? "reordered" : "removed" };
  }
  // A seq at or below one already passed: a copy or a forged sibling of `last`.
  const sibling = record.seq === last.seq && record.prevHash === beforeLast;
  return { seq: sibling ? last.seq : expected, problem: "inserted" };
}

function checkHead(head: Link | undefined, last: Link): AuditFinding | undefined {
  if (head === undefined)
    return last.seq === 0 ? undefined : { seq: last.seq + 1, problem: "removed", detail: HEAD_MISSING };
  if (head.seq > last.seq) return { seq: last.seq + 1, problem: "removed" };
  if (head.seq < last.seq) return { seq: head.seq + 1, problem: "inserted", detail: HEAD_BEHIND };
  if (head.hash !== last.hash) return { seq: last.seq, problem: "changed" };
  return undefined;
}

export interface VerifyOptions {
  pageSize?: number;
  /** A seq and hash kept outside Redis (from an earlier verify): the chain must still hold it. */
  anchor?: Link;
}

/**
 * The head and the stream's last entry id at one instant (MULTI; both keys share the `{kb:audit}`
 * slot). Read apart, an append landing in between looks like a record past the head: a false alarm.
 */
async function snapshot(redis: RedisClient): Promise<{ head: Link | undefined; end: string | undefined }> {
  const replies = await redis
    .multi()
    .hgetall(redisKeys.auditHead())
    .xrevrange(redisKeys.auditLog(), "+", "-", "COUNT", 1)
    .exec();
  const [headReply, lastReply] = (replies ?? []).map(([err, value]) => {
    if (err) throw err;
    return value;
  });
  const h = headReply as Record<string, string>;
  const last = (lastReply as [string, string[]][])[0];
  const head = h.hash === undefined || h.seq === undefined ? undefined : { seq: Number(h.seq), hash: h.hash };
  return { head, end: last?.[0] };
}

export async function verifyAudit(redis: RedisClient, options: VerifyOptions = {}): Promise<VerifyResult> {
  // Walk only up to the stream's end at the snapshot: appends only add ids after it (XADD needs a
  // greater id), so what lies up to there must match the head read in the same instant.
  // An empty stream ends at 0-0, an id XADD never accepts, so the walk reads nothing.
  const { head, end } = await snapshot(redis);
  const cursor = new AuditLogCursor(redis, "-", options.pageSize, end ?? "0-0");
  let last: Link = { seq: 0, hash: GENESIS_HASH };
  let beforeLast = GENESIS_HASH;
  let count = 0;
  let anchorSeen = false;
  for (let entry = await cursor.next(); entry; entry = await cursor.next()) {
    count++;
    const record = validRecord(entry.text);
    if (!links(record, last)) {
      const firstBad = await classify(record, last, beforeLast, cursor);
      return { ok: false, count, head: last, firstBad };
    }
    beforeLast = last.hash;
    last = { seq: record!.seq, hash: record!.hash };
    if (options.anchor && last.seq === options.anchor.seq) {
      if (last.hash !== options.anchor.hash) {
        const firstBad: AuditFinding = { seq: last.seq, problem: "changed", detail: ANCHOR_MISMATCH };
        return { ok: false, count, head: last, firstBad };
      }
      anchorSeen = true;
    }
  }
  const firstBad =
    checkHead(head, last) ??
    (options.anchor && !anchorSeen ? { seq: options.anchor.seq, problem: "removed" as const } : undefined);
  return firstBad ? { ok: false, count, head: last, firstBad } : { ok: true, count, head: last };
}
