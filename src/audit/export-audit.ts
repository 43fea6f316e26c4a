// Writes audit records as JSON Lines (one stored record per line, byte for byte, so each line's hash
// still verifies), reading the stream in pages and honouring the writer's backpressure.
import { once } from "node:events";
import type { RedisClient } from "../store/create-redis-client";
import { AuditLogCursor, readEntryAtOrAfter, readLastEntry } from "./audit-log-cursor";
import { type AuditRecord, parseRecord } from "./audit-record";

export interface AuditExportFilter {
  /** Inclusive lower bound on record time. */
  since?: Date;
  /** Exclusive upper bound on record time, so consecutive windows never overlap. */
  until?: Date;
  /**
   * Internal person id: records whose subject is that person, or whose data names them — data.persons
   * (a SCIM change's affected persons: the group membership that granted access) or data.personIds.
   */
  person?: string;
  tenant?: string;
}

export interface AuditExportResult {
  /** Lines written. */
  count: number;
  /** Stored entries that are not records at all (tampering; `audit verify` says where). */
  skipped: number;
}

function seqOf(id: string): number {
  return Number(id.split("-")[0]);
}

function timeOf(text: string | undefined): number | undefined {
  const record = text === undefined ? undefined : parseRecord(text);
  return record ? Date.parse(record.time) : undefined;
}

/**
 * The first stream id whose record time is >= since. Record time never decreases along the chain
 * (AuditTrail enforces it), so a binary search over seq finds it in O(log n) reads.
 */
async function seekSince(redis: RedisClient, since: Date | undefined): Promise<string> {
  const lastEntry = await readLastEntry(redis);
  if (since === undefined || lastEntry === undefined) return "-";
  let lo = 1;
  let hi = seqOf(lastEntry.id) + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const entry = await readEntryAtOrAfter(redis, String(mid));
    const time = timeOf(entry?.text);
    if (entry === undefined || (time !== undefined && time >= since.getTime())) hi = mid;
    else lo = mid + 1;
  }
  return String(lo);
}

function matches(record: AuditRecord, filter: AuditExportFilter, time: number): boolean {
  if (filter.since && time < filter.since.getTime()) return false;
  if (filter.tenant !== undefined && record.tenant !== filter.tenant) return false;
  if (filter.person !== undefined) {
    const aboutPerson = record.subject?.kind === "person" && record.subject.id === filter.person;
    if (!aboutPerson && !namesPerson(record, filter.person)) return false;
  }
  return true;
}

/** Whether the record's data lists the person (bounded by the record itself: no index needed). */
function namesPerson(record: AuditRecord, person: string): boolean {
  const ids = record.data?.personIds;
  if (Array.isArray(ids) && ids.includes(person)) return true;
  const persons = record.data?.persons;
  return (
    Array.isArray(persons) &&
    persons.some(
      (p) => typeof p === "object" && p !== null && (p as { personId?: unknown }).personId === person,
    )
  );
}

/** Records matching `filter`, in chain order, read in pages; unparseable entries come as `record: undefined`. */
export async function* auditRecords(
  redis: RedisClient,
  filter: AuditExportFilter,
  options: { pageSize?: number } = {},
): AsyncGenerator<{ text: string; record: AuditRecord | undefined }> {
  const cursor = new AuditLogCursor(redis, await seekSince(redis, filter.since), options.pageSize);
  for (let entry = await cursor.next(); entry; entry = await cursor.next()) {
    const record = parseRecord(entry.text);
    if (record === undefined) {
      yield { text: entry.text, record };
      continue;
    }
    const time = Date.parse(record.time);
    if (filter.until && time >= filter.until.getTime()) return;
    if (matches(record, filter, time)) yield { text: entry.text, record };
  }
}

/** The matching records as objects, at most `limit` of them (tests, `access status`). */
export async function readAuditRecords(
  redis: RedisClient,
  filter: AuditExportFilter,
  limit = 1000,
): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  for await (const { record } of auditRecords(redis, filter)) {
    if (record === undefined) continue;
    out.push(record);
    if (out.length >= limit) break;
  }
  return out;
}

export async function exportAudit(
  redis: RedisClient,
  filter: AuditExportFilter,
  out: NodeJS.WritableStream,
  options: { pageSize?: number } = {},
): Promise<AuditExportResult> {
  let count = 0;
  let skipped = 0;
  for await (const { text, record } of auditRecords(redis, filter, options)) {
    if (record === undefined) {
      skipped++;
      continue;
    }
    if (!out.write(`${text}\n`)) await once(out, "drain");
    count++;
  }
  return { count, skipped };
}
