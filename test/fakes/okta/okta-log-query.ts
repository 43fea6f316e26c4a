// The System Log query semantics of the org fake (Okta System Log API, "Polling requests"): `since` and
// `after` are mutually exclusive, `after` is an opaque cursor over persistence order, a polling query (no
// `until`) always has a `next` link even when the page is empty, `filter` is a SCIM-style expression
// (this fake understands `eventType eq "…"` terms joined by `or`), `limit` defaults to 100, max 1000.
import type { OktaLogEvent } from "./okta-log-event";

/** An event as the org stored it: its persistence sequence and time, independent of `published`. */
export interface StoredLogEvent {
  seq: number;
  persistedAt: number;
  event: OktaLogEvent;
}

export interface LogQuery {
  since?: number;
  until?: number;
  afterSeq?: number;
  eventTypes?: Set<string>;
  limit: number;
}

export type ParsedQuery = { ok: true; query: LogQuery } | { ok: false; summary: string };

const TERM = /^eventType eq "([A-Za-z0-9_.]+)"$/;
const MAX_SINCE_AGE_MS = 180 * 24 * 3600 * 1000;

function parseFilter(filter: string): Set<string> | null {
  const types = new Set<string>();
  for (const term of filter.split(/\s+or\s+/)) {
    const m = TERM.exec(term.trim().replace(/^\((.*)\)$/, "$1"));
    if (!m?.[1]) return null;
    types.add(m[1]);
  }
  return types;
}

export function encodeCursor(seq: number): string {
  return Buffer.from(`c:${seq}`).toString("base64url");
}

function decodeCursor(after: string): number | null {
  const m = /^c:(\d+)$/.exec(Buffer.from(after, "base64url").toString());
  return m?.[1] ? Number(m[1]) : null;
}

function parseTime(value: string | null): number | null | undefined {
  if (value === null) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

/** Parses the query string of GET /api/v1/logs; errors are the summaries of Okta's E0000001/E0000031. */
export function parseLogQuery(params: URLSearchParams, now: number): ParsedQuery {
  const since = parseTime(params.get("since"));
  const until = parseTime(params.get("until"));
  if (since === null || until === null) return { ok: false, summary: "Invalid date format" };
  if (since !== undefined && since < now - MAX_SINCE_AGE_MS)
    return { ok: false, summary: "since must not be more than 180 days in the past" };
  const after = params.get("after");
  if (after !== null && since !== undefined)
    return { ok: false, summary: "since and after are mutually exclusive" };
  const afterSeq = after === null ? undefined : decodeCursor(after);
  if (afterSeq === null) return { ok: false, summary: "Invalid after cursor" };
  const limit = params.get("limit") === null ? 100 : Number(params.get("limit"));
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    return { ok: false, summary: "limit must be between 1 and 1000" };
  const filter = params.get("filter");
  const eventTypes = filter === null ? undefined : parseFilter(filter);
  if (eventTypes === null) return { ok: false, summary: "Invalid search criteria." };
  // Without since/after Okta starts 7 days back.
  const start = afterSeq === undefined ? (since ?? now - 7 * 24 * 3600 * 1000) : undefined;
  return { ok: true, query: { since: start, until, afterSeq, eventTypes, limit } };
}

export interface LogPage {
  events: OktaLogEvent[];
  /** Cursor for the next link; null when a bounded query (`until`) has nothing more. */
  nextSeq: number | null;
}

/** One page in persistence order; the cursor moves past everything scanned, matching or not. */
export function selectLogPage(stored: StoredLogEvent[], q: LogQuery): LogPage {
  const inWindow = stored.filter(
    (s) =>
      (q.afterSeq === undefined || s.seq > q.afterSeq) &&
      (q.since === undefined || s.persistedAt >= q.since) &&
      (q.until === undefined || s.persistedAt < q.until),
  );
  const matching = inWindow.filter((s) => !q.eventTypes || q.eventTypes.has(s.event.eventType));
  const page = matching.slice(0, q.limit);
  const full = page.length === q.limit && matching.length > q.limit;
  const lastScanned = stored.at(-1)?.seq ?? 0;
  const nextSeq = full ? (page.at(-1)?.seq ?? 0) : Math.max(lastScanned, q.afterSeq ?? 0);
  if (q.until !== undefined && !full) return { events: page.map((s) => s.event), nextSeq: null };
  return { events: page.map((s) => s.event), nextSeq };
}
