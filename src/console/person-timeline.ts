// A person's revocation timeline from the audit trail: the signal (the IdP's SCIM change or another
// channel), each revocation requested → pending → effective, and operator actions, oldest first.
import type { RedisClient } from "../store/create-redis-client";
import { auditRecords } from "../audit/export-audit";
import type { AuditRecord } from "../audit/audit-record";

/** The audit types that tell the story of access being taken away (and given back). */
const TIMELINE_PREFIXES = [
  "scim.user.",
  "signal",
  "revocation.",
  "grant.",
  "operator.",
  "access.desired_changed",
  "access.needs_attention",
];

export interface TimelineEntry {
  seq: number;
  time: string;
  type: string;
  actor: string;
  system?: string;
  profile?: string;
  reason?: string;
  exposureUntil?: string;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function entryOf(r: AuditRecord): TimelineEntry {
  const e: TimelineEntry = { seq: r.seq, time: r.time, type: r.type, actor: r.actor };
  const system = text(r.data?.system);
  const profile = text(r.data?.profile);
  const exposure = text(r.data?.exposureUntil);
  if (system) e.system = system;
  if (profile) e.profile = profile;
  if (r.reason) e.reason = r.reason;
  if (exposure) e.exposureUntil = exposure;
  return e;
}

/**
 * The person's timeline within `since` (the trail is read forward from there: a bounded window keeps
 * the read short); at most `limit` entries, the latest kept.
 */
export async function readPersonTimeline(
  redis: RedisClient,
  target: { tenant: string; personId: string; since: Date },
  limit = 200,
): Promise<TimelineEntry[]> {
  const out: TimelineEntry[] = [];
  const filter = { tenant: target.tenant, person: target.personId, since: target.since };
  for await (const { record } of auditRecords(redis, filter)) {
    if (!record || !TIMELINE_PREFIXES.some((p) => record.type.startsWith(p))) continue;
    out.push(entryOf(record));
    if (out.length > limit) out.shift();
  }
  return out;
}
