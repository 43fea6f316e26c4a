// Reads the audit stream forward in pages (XRANGE ... COUNT), so verify and export never hold the whole
// trail in memory; peek() gives verify its one-record lookahead.
import type { RedisClient } from "../store/create-redis-client";
import { redisKeys } from "../store/redis-keys";

export interface AuditEntry {
  /** Stream entry id, `<seq>-0` as written by AuditTrail. */
  id: string;
  /** The stored record text (canonical JSON); "" when the entry has no `r` field. */
  text: string;
}

export const DEFAULT_AUDIT_PAGE = 500;

function toEntry(raw: [string, string[]]): AuditEntry {
  const [id, fields] = raw;
  const at = fields.indexOf("r");
  return { id, text: at >= 0 && at % 2 === 0 ? (fields[at + 1] ?? "") : "" };
}

export class AuditLogCursor {
  private buffer: AuditEntry[] = [];
  private nextStart: string;
  private exhausted = false;

  /**
   * `start` and `end` are inclusive stream ids ("-" for the beginning, or `<seq>` for that seq onwards;
   * "+" for no end, or the last id to read).
   */
  constructor(
    private readonly redis: RedisClient,
    start = "-",
    private readonly pageSize = DEFAULT_AUDIT_PAGE,
    private readonly end = "+",
  ) {
    this.nextStart = start;
  }

  async peek(): Promise<AuditEntry | undefined> {
    if (this.buffer.length === 0) await this.fill();
    return this.buffer[0];
  }

  async next(): Promise<AuditEntry | undefined> {
    if (this.buffer.length === 0) await this.fill();
    return this.buffer.shift();
  }

  private async fill(): Promise<void> {
    if (this.exhausted) return;
    const page = (await this.redis.xrange(
      redisKeys.auditLog(),
      this.nextStart,
      this.end,
      "COUNT",
      this.pageSize,
    )) as [string, string[]][];
    if (page.length < this.pageSize) this.exhausted = true;
    const last = page[page.length - 1];
    if (last) this.nextStart = `(${last[0]}`;
    this.buffer.push(...page.map(toEntry));
  }
}

/** The entry at or after stream id `start`, or undefined past the end. */
export async function readEntryAtOrAfter(redis: RedisClient, start: string): Promise<AuditEntry | undefined> {
  const page = (await redis.xrange(redisKeys.auditLog(), start, "+", "COUNT", 1)) as [string, string[]][];
  return page[0] ? toEntry(page[0]) : undefined;
}

/** The last entry of the stream, or undefined when it is empty. */
export async function readLastEntry(redis: RedisClient): Promise<AuditEntry | undefined> {
  const page = (await redis.xrevrange(redisKeys.auditLog(), "+", "-", "COUNT", 1)) as [string, string[]][];
  return page[0] ? toEntry(page[0]) : undefined;
}
