// What the directory remembers about a person from IdP signals, and the pure decisions on it: whether
// the person is suspended by signal and which of their groups a signal suppressed. The mapping
// evaluation asks these (reconcile/mapping-access-evaluator.ts), so a held person desires nothing.
import type { GroupRef } from "../store/directory-types";
import type { SignalChannel, SignalKind } from "./idp-signal";

/** One signal as the hold keeps it (hash field value, JSON). */
export interface HeldSignal {
  channel: SignalChannel;
  eventId: string;
  kind: SignalKind;
  /** When the IdP says it happened (ISO), and the same in ms for ordering inside the Lua script. */
  occurredAt: string;
  occurredAtMs: number;
  /** When keybridge received it (ISO). */
  receivedAt: string;
  evidence: Record<string, string>;
  /** membership_removed: the IdP group id. */
  groupId?: string;
}

export interface SignalHold {
  /** The latest (by occurredAt) signal that took all access away. */
  suspension?: HeldSignal;
  /** The latest confirmed_active signal: lifts a suspension that happened before it, once SCIM says active. */
  confirmation?: HeldSignal;
  /** IdP group id → the membership_removed signal that suppresses it. */
  groups: Record<string, HeldSignal>;
}

/** Hash fields of redisKeys.signalHold. */
export const HOLD_FIELDS = { suspension: "suspension", confirmation: "confirmation", groupPrefix: "group:" };

export function holdFieldOf(kind: SignalKind, groupId?: string): string | null {
  if (kind === "disabled" || kind === "deleted" || kind === "suspended") return HOLD_FIELDS.suspension;
  if (kind === "confirmed_active") return HOLD_FIELDS.confirmation;
  if (kind === "membership_removed" && groupId) return `${HOLD_FIELDS.groupPrefix}${groupId}`;
  return null;
}

/** Parses an HGETALL reply; unreadable fields are dropped (a broken field must not block a read). */
export function parseSignalHold(fields: Record<string, string>): SignalHold | undefined {
  // No prototype: a group id is IdP input, and "__proto__" must stay an ordinary key.
  const hold: SignalHold = { groups: Object.create(null) as Record<string, HeldSignal> };
  let any = false;
  for (const [field, text] of Object.entries(fields)) {
    let held: HeldSignal;
    try {
      held = JSON.parse(text) as HeldSignal;
    } catch {
      continue;
    }
    any = true;
    if (field === HOLD_FIELDS.suspension) hold.suspension = held;
    else if (field === HOLD_FIELDS.confirmation) hold.confirmation = held;
    else if (field.startsWith(HOLD_FIELDS.groupPrefix))
      hold.groups[field.slice(HOLD_FIELDS.groupPrefix.length)] = held;
  }
  return any ? hold : undefined;
}

/**
 * The signal suspending the person, or undefined. A later SCIM `active=true` alone never lifts it
 * (issue #11 item 1); a confirmed_active signal that happened at or after the suspension does, but
 * only while SCIM also says active — the IdP's own state and the governed path must agree.
 */
export function activeSuspension(hold: SignalHold | undefined, scimActive: boolean): HeldSignal | undefined {
  const s = hold?.suspension;
  if (!s) return undefined;
  const c = hold?.confirmation;
  if (scimActive && c && c.occurredAtMs >= s.occurredAtMs) return undefined;
  return s;
}

/**
 * The person's groups without those a membership_removed signal suppresses. A held group id matches
 * the SCIM Group's externalId (Entra and Okta send their object ids there) or its id (SailPoint's
 * group entitlement value is the SCIM id it aggregated).
 */
export function unsuppressedGroups(groups: GroupRef[], hold: SignalHold | undefined): GroupRef[] {
  if (!hold || Object.keys(hold.groups).length === 0) return groups;
  return groups.filter((g) => !isSuppressed(g, hold));
}

function isSuppressed(group: GroupRef, hold: SignalHold): boolean {
  return (
    Object.hasOwn(hold.groups, group.id) ||
    (group.externalId !== undefined && Object.hasOwn(hold.groups, group.externalId))
  );
}

/** Suppressions whose group the person no longer belongs to in SCIM: SCIM removed it, they end. */
export function staleSuppressions(groups: GroupRef[], hold: SignalHold | undefined): string[] {
  if (!hold) return [];
  const held = new Set(groups.flatMap((g) => (g.externalId === undefined ? [g.id] : [g.id, g.externalId])));
  return Object.keys(hold.groups).filter((id) => !held.has(id));
}
