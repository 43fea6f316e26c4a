// The hash-chained audit writer (ARCHITECTURE §2): appends records to one Redis stream in call order per
// process and in commit order across processes, via a compare-and-set on the chain head.
import type { RedisClient } from "../store/create-redis-client";
import { type Clock, systemClock } from "../drivers/key-system-driver";
import { BridgeError } from "../errors/bridge-error";
import {
  type AuditHead,
  appendIfHead,
  EMPTY_HEAD,
  type OutboxMark,
  readAuditHead,
} from "./audit-append-script";
import { isAuditType } from "./audit-catalog";
import type { AuditEventInput, AuditSink } from "./audit-event";
import { AUDIT_RECORD_VERSION, type AuditRecord, sealRecord, serializeRecord } from "./audit-record";
import { type JsonValue, toJsonValue } from "./canonical-json";
import { redactAuditData } from "./redact-audit-data";
import { TimeSlicer, yieldToEventLoop } from "../store/yield-to-event-loop";

export const AUDIT_UNKNOWN_TYPE = "audit event type is not in the audit catalog";
export const AUDIT_INVALID_EVENT = "audit event lacks actor, subject or outcome";
export const AUDIT_CONTENDED = "audit append lost the head compare-and-set too often";
export const AUDIT_WRITE_FAILED = "audit append failed";
export const AUDIT_HEAD_MISSING = "audit head key is missing while records exist; run keybridge audit verify";

export interface AuditTrailOptions {
  redis: RedisClient;
  clock?: Clock;
  /** Compare-and-set attempts per batch before giving up (other processes appending at once). */
  maxAttempts?: number;
  /** Records appended in one script call when callers queue up behind a running append. */
  maxBatch?: number;
}

type Prepared = Omit<AuditRecord, "v" | "seq" | "time" | "prevHash" | "hash">;

interface Pending {
  events: Prepared[];
  /** Set for a batch moved from a tenant's audit outbox: it commits alone, under that mark. */
  mark?: OutboxMark;
  resolve: (moved: boolean) => void;
  reject: (err: unknown) => void;
}

/** Validates and redacts an event into the fields of a record; the chain fields come at commit. */
export function prepareAuditEvent(event: AuditEventInput): Prepared {
  if (!isAuditType(event.type)) throw new BridgeError("InvalidValue", AUDIT_UNKNOWN_TYPE);
  if (!event.actor || !event.subject?.kind || !event.subject?.id || !event.outcome)
    throw new BridgeError("InvalidValue", AUDIT_INVALID_EVENT);
  const data = event.data === undefined ? undefined : toJsonValue(event.data);
  const prepared: Prepared = {
    type: event.type,
    actor: event.actor,
    subject: { kind: event.subject.kind, id: event.subject.id },
    outcome: event.outcome,
  };
  if (event.tenant !== undefined) prepared.tenant = event.tenant;
  if (event.reason !== undefined) prepared.reason = event.reason;
  if (event.correlationId !== undefined) prepared.correlationId = event.correlationId;
  if (data !== undefined) prepared.data = redactAuditData(data) as { [key: string]: JsonValue };
  return prepared;
}

/** Record time never goes backwards along the chain, so export can seek by time (docs/audit.md). */
function recordTime(now: Date, previous: string): string {
  const iso = now.toISOString();
  return previous !== "" && Date.parse(previous) > now.getTime() ? previous : iso;
}

export function chainRecords(head: AuditHead, events: Prepared[], now: Date): AuditRecord[] {
  const records: AuditRecord[] = [];
  let prev = head;
  for (const event of events) {
    const record = sealRecord({
      v: AUDIT_RECORD_VERSION,
      seq: prev.seq + 1,
      time: recordTime(now, prev.time),
      ...event,
      prevHash: prev.hash,
    });
    records.push(record);
    prev = { seq: record.seq, hash: record.hash, time: record.time };
  }
  return records;
}

/**
 * chainRecords for an outbox batch: several membership records of up to 500 persons each, whose hashing
 * took ~20 ms in one stretch. Same records, one stretch per record at most (issue #9 item 3).
 */
export async function chainRecordsInSlices(
  head: AuditHead,
  events: Prepared[],
  now: Date,
): Promise<AuditRecord[]> {
  const slicer = new TimeSlicer();
  const records: AuditRecord[] = [];
  let prev = head;
  for (const event of events) {
    await slicer.pause();
    const [record] = chainRecords(prev, [event], now) as [AuditRecord];
    records.push(record);
    prev = { seq: record.seq, hash: record.hash, time: record.time };
  }
  return records;
}

/** Each record's stored text, one record per stretch at most (see chainRecordsInSlices). */
async function serializeInSlices(records: AuditRecord[]): Promise<{ seq: number; text: string }[]> {
  const slicer = new TimeSlicer();
  const texts: { seq: number; text: string }[] = [];
  for (const r of records) {
    await slicer.pause();
    texts.push({ seq: r.seq, text: serializeRecord(r) });
  }
  return texts;
}

export class AuditTrail implements AuditSink {
  private readonly redis: RedisClient;
  private readonly clock: Clock;
  private readonly maxAttempts: number;
  private readonly maxBatch: number;
  private readonly queue: Pending[] = [];
  private draining = false;
  /** Last head this process wrote or read; a stale one only costs one failed compare-and-set. */
  private head: AuditHead | undefined;

  constructor(options: AuditTrailOptions) {
    this.redis = options.redis;
    this.clock = options.clock ?? systemClock;
    this.maxAttempts = options.maxAttempts ?? 50;
    this.maxBatch = options.maxBatch ?? 100;
  }

  /** Resolves once the record is in Redis (durable as far as Redis' AOF policy makes it). */
  append(event: AuditEventInput): Promise<void> {
    let prepared: Prepared;
    try {
      prepared = prepareAuditEvent(event);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ events: [prepared], resolve: () => resolve(), reject });
      void this.drain();
    });
  }

  /**
   * Appends events taken from a tenant's audit outbox, in order, if that tenant's moved mark is still
   * `mark.expect` (and sets it to `mark.next` in the same step). Resolves false when another process
   * moved them first: each outbox entry reaches the chain exactly once.
   */
  async appendOutbox(events: AuditEventInput[], mark: OutboxMark): Promise<boolean> {
    // Redacting and canonicalising a few membership records of 500 persons each took ~20 ms in one
    // stretch: one record per stretch at most (issue #9 item 3). The mover awaits this call before
    // its next one, so the queue order is the same as preparing them at once.
    const slicer = new TimeSlicer();
    const prepared: Prepared[] = [];
    for (const event of events) {
      await slicer.pause();
      prepared.push(prepareAuditEvent(event));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ events: prepared, mark, resolve, reject });
      void this.drain();
    });
  }

  /** The next batch: one outbox batch, or up to maxBatch plain records in call order. */
  private nextBatch(): Pending[] {
    if (this.queue[0]?.mark) return this.queue.splice(0, 1);
    let end = 0;
    while (end < this.queue.length && end < this.maxBatch && !this.queue[end]?.mark) end++;
    return this.queue.splice(0, end);
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.nextBatch();
        try {
          // An outbox batch may hold a membership record naming 10,000 persons: preparing it (in
          // appendOutbox) and hashing it are separate stretches (issue #9 item 3: ≤ 50 ms blocks).
          if (batch[0]?.mark) await yieldToEventLoop();
          const moved = await this.commit(
            batch.flatMap((p) => p.events),
            batch[0]?.mark,
          );
          for (const p of batch) p.resolve(moved);
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /** True once appended; false when an outbox batch's mark had moved (nothing written). */
  private async commit(events: Prepared[], mark?: OutboxMark): Promise<boolean> {
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      try {
        const head = this.head ?? (await readAuditHead(this.redis)) ?? EMPTY_HEAD;
        // Only this drain commits in this process; other processes are caught by the head compare-and-set,
        // so an outbox batch (long membership records) may be chained and serialised between yields.
        const records = mark
          ? await chainRecordsInSlices(head, events, this.clock.now())
          : chainRecords(head, events, this.clock.now());
        const last = records[records.length - 1]!;
        const next = { seq: last.seq, hash: last.hash, time: last.time };
        if (mark) await yieldToEventLoop();
        const texts = mark
          ? await serializeInSlices(records)
          : records.map((r) => ({ seq: r.seq, text: serializeRecord(r) }));
        const result = await appendIfHead(this.redis, head, next, texts, mark);
        if (result === "appended") {
          this.head = next;
          return true;
        }
        if (result === "mark_moved") return false;
      } catch (err) {
        this.head = undefined;
        // Fail closed: rebuilding a deleted head from the stream would hide a cut-off tail.
        if (String((err as Error).message).includes("AUDIT_HEAD_MISSING"))
          throw new BridgeError("PreconditionFailed", AUDIT_HEAD_MISSING, { cause: err });
        throw new BridgeError("Unavailable", AUDIT_WRITE_FAILED, { cause: err });
      }
      this.head = undefined;
      // Jittered backoff so two processes that collided do not collide again in lock step.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(20, 2 ** attempt)));
    }
    throw new BridgeError("Unavailable", AUDIT_CONTENDED);
  }
}
