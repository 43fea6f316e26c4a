// What every fast revocation channel (Entra Graph delta, Okta System Log and Event Hooks, SailPoint
// triggers) hands the signals core: one IdP event about one person, already mapped to a SignalKind.
// Signals only take access away (issue #11 item 1): no kind here can grant.

export type SignalChannel = "entra" | "okta-log" | "okta-hook" | "sailpoint";

export const SIGNAL_CHANNELS: readonly SignalChannel[] = ["entra", "okta-log", "okta-hook", "sailpoint"];

export type SignalKind =
  | "disabled"
  | "deleted"
  | "suspended" // take all of the person's access away
  | "membership_removed" // person left the IdP group `groupId`
  | "sessions_revoked" // audited as evidence only; changes nothing by itself
  | "confirmed_active"; // the IdP's own state says the person is active again

/** Kinds that suspend the whole person. */
export const SUSPENDING_KINDS: ReadonlySet<SignalKind> = new Set(["disabled", "deleted", "suspended"]);

export interface IdpSignal {
  tenant: string;
  channel: SignalChannel;
  /** Unique per channel (Graph: `${objectId}:${deltaRoundId}`, Okta: event uuid, ISC: event id); the idempotence key. */
  eventId: string;
  kind: SignalKind;
  /** The IdP's id of the person, matched via the tenant's join key. */
  subject: string;
  /** IdP group id (matched against the SCIM Group's externalId) for membership_removed. */
  groupId?: string;
  /** ISO time the IdP says it happened. */
  occurredAt: string;
  /** Short strings, ids and event types only; no names or emails. */
  evidence: Record<string, string>;
}

export type SignalOutcome = {
  status: "applied" | "duplicate" | "unmatched" | "ignored";
  personId?: string;
};
