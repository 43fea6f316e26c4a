// The one shape every fast revocation channel hands to the signals core (issue #11).
export type SignalChannel = "entra" | "okta-log" | "okta-hook" | "sailpoint";
export type SignalKind =
  | "disabled"
  | "deleted"
  | "suspended" // take all of the person's access away
  | "membership_removed" // person left the IdP group `groupId`
  | "sessions_revoked" // audited as evidence only; changes nothing by itself unless config says so
  | "confirmed_active"; // the IdP's own state says the person is active again
export interface IdpSignal {
  tenant: string;
  channel: SignalChannel;
  eventId: string; // unique per channel (Graph: `${objectId}:${deltaRoundId}`, Okta: event uuid, ISC: event id); idempotence key
  kind: SignalKind;
  subject: string; // the IdP's id of the person, matched via the tenant's join key
  groupId?: string; // IdP group id (matched against the SCIM Group's externalId) for membership_removed
  occurredAt: string; // ISO time the IdP says it happened
  evidence: Record<string, string>; // short strings, ids and event types only; no names/emails
}
export type SignalOutcome = { status: "applied" | "duplicate" | "unmatched" | "ignored"; personId?: string };
