// Which Okta System Log event types are revocation signals and what each means (idp-signals.md §2.3,
// §2.4), and the one translation of an Okta LogEvent into an IdpSignal — shared by the Event Hook
// receiver and the System Log poller, so both channels read Okta alike. Pure.
import type { IdpSignal, SignalKind } from "./idp-signal";
import { signalIsBounded } from "./signal-bounds";

export const OKTA_EVENT_KINDS: Readonly<Record<string, SignalKind>> = {
  "user.lifecycle.deactivate": "disabled",
  "user.lifecycle.suspend": "suspended",
  "user.lifecycle.delete.initiated": "deleted",
  "user.lifecycle.delete.completed": "deleted",
  "group.user_membership.remove": "membership_removed",
  "user.session.clear": "sessions_revoked",
  "user.session.end": "sessions_revoked",
  "user.lifecycle.activate": "confirmed_active",
  "user.lifecycle.reactivate": "confirmed_active",
  "user.lifecycle.unsuspend": "confirmed_active",
};

/** The event types to subscribe a hook to or filter the System Log on. */
export const OKTA_SIGNAL_EVENT_TYPES: readonly string[] = Object.keys(OKTA_EVENT_KINDS);

/** The parts of an Okta LogEvent (System Log API) keybridge reads. */
export interface OktaLogEvent {
  uuid?: unknown;
  eventType?: unknown;
  published?: unknown;
  outcome?: { result?: unknown } | null;
  target?: Array<{ id?: unknown; type?: unknown }> | null;
}

function targetId(event: OktaLogEvent, type: string): string | undefined {
  // Hook bodies are IdP input: a target that is not a list carries no user.
  if (!Array.isArray(event.target)) return undefined;
  const found = event.target.find((t) => t?.type === type && typeof t.id === "string");
  return found?.id as string | undefined;
}

/**
 * The signal an Okta event carries, or null when it is none: an event type keybridge does not act on,
 * a failed outcome (the IdP did not do it), or no user target. Evidence holds ids and types only.
 */
export function oktaEventToSignal(
  tenant: string,
  channel: "okta-log" | "okta-hook",
  event: OktaLogEvent,
  receivedAt: Date,
): IdpSignal | null {
  if (typeof event.uuid !== "string" || typeof event.eventType !== "string") return null;
  if (!Object.hasOwn(OKTA_EVENT_KINDS, event.eventType)) return null;
  const kind = OKTA_EVENT_KINDS[event.eventType] as SignalKind;
  const result = event.outcome && typeof event.outcome === "object" ? event.outcome.result : undefined;
  if (result !== undefined && result !== "SUCCESS") return null;
  const subject = targetId(event, "User");
  if (!subject) return null;
  const groupId = targetId(event, "UserGroup");
  if (kind === "membership_removed" && !groupId) return null;
  const published = typeof event.published === "string" ? Date.parse(event.published) : Number.NaN;
  const signal: IdpSignal = {
    tenant,
    channel,
    eventId: event.uuid,
    kind,
    subject,
    occurredAt: new Date(Number.isNaN(published) ? receivedAt.getTime() : published).toISOString(),
    evidence: { eventType: event.eventType, oktaUserId: subject },
  };
  if (kind === "membership_removed" && groupId) {
    signal.groupId = groupId;
    signal.evidence.oktaGroupId = groupId;
  }
  // The System Log poller re-reads a page whose signal failed: one that can never apply would stall it.
  return signalIsBounded(signal) ? signal : null;
}
