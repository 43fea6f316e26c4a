// Turns Microsoft Graph delta entries into signals (pure). Users: `@removed` → deleted,
// `accountEnabled: false` → disabled, `accountEnabled: true` → confirmed_active; groups: a member with
// `@removed` in `members@delta` → membership_removed (https://learn.microsoft.com/graph/delta-query-groups).
import type { IdpSignal, SignalKind } from "../idp-signal";

export interface DeltaContext {
  tenant: string;
  /** Identifies the delta round: the same round replayed after a restart yields the same event ids. */
  roundId: string;
  /** When the round read the change (Graph delta entries carry no change time). */
  observedAt: string;
}

type Entry = Record<string, unknown>;

const isEntry = (v: unknown): v is Entry => typeof v === "object" && v !== null && !Array.isArray(v);

function removedReason(entry: Entry): string | null {
  const removed = entry["@removed"];
  if (!isEntry(removed)) return null;
  return typeof removed.reason === "string" ? removed.reason : "deleted";
}

function signal(ctx: DeltaContext, kind: SignalKind, subject: string, evidence: Record<string, string>) {
  // The kind is part of the id: a replayed round may now show the opposite state for the same object,
  // and that is a different event, not a duplicate of the first one.
  const s: IdpSignal = {
    tenant: ctx.tenant,
    channel: "entra",
    eventId: `${subject}:${ctx.roundId}:${kind}`,
    kind,
    subject,
    occurredAt: ctx.observedAt,
    evidence: { round: ctx.roundId, ...evidence },
  };
  return s;
}

/** The signal one `/users/delta` entry carries, or null (e.g. a change that leaves accountEnabled out). */
export function userSignal(entry: Entry, ctx: DeltaContext): IdpSignal | null {
  const id = entry.id;
  if (typeof id !== "string" || id === "") return null;
  const reason = removedReason(entry);
  if (reason !== null) return signal(ctx, "deleted", id, { source: "users/delta", removed: reason });
  if (entry.accountEnabled === false)
    return signal(ctx, "disabled", id, { source: "users/delta", accountEnabled: "false" });
  if (entry.accountEnabled === true)
    return signal(ctx, "confirmed_active", id, { source: "users/delta", accountEnabled: "true" });
  return null;
}

/** One membership_removed per removed member of a `/groups/delta` entry (a group may span entries). */
export function groupSignals(entry: Entry, ctx: DeltaContext): IdpSignal[] {
  const groupId = entry.id;
  const members = entry["members@delta"];
  if (typeof groupId !== "string" || !Array.isArray(members)) return [];
  const out: IdpSignal[] = [];
  for (const m of members) {
    if (!isEntry(m) || typeof m.id !== "string" || removedReason(m) === null) continue;
    const s = signal(ctx, "membership_removed", m.id, { source: "groups/delta", group: groupId });
    s.eventId = `${m.id}:${groupId}:${ctx.roundId}:membership_removed`;
    s.groupId = groupId;
    out.push(s);
  }
  return out;
}

/** Leave dates an entry states: the user's id and the instant, or null when cleared or removed. */
export function leaveDateOf(entry: Entry): { subject: string; at: string | null } | null {
  if (typeof entry.id !== "string") return null;
  if (removedReason(entry) !== null) return { subject: entry.id, at: null };
  if (!("employeeLeaveDateTime" in entry)) return null;
  const value = entry.employeeLeaveDateTime;
  const ms = typeof value === "string" ? Date.parse(value) : Number.NaN;
  return { subject: entry.id, at: Number.isNaN(ms) ? null : new Date(ms).toISOString() };
}
