// Whether a pushed signal's IdP-chosen strings are of a size an IdP really sends. Okta uuids, ISC
// invocation ids and every IdP's object ids are well under 256 characters; an id of megabytes would
// sit in the dedupe set (up to 100,000 ids per channel), the audit chain and the hold for a week. Pure.
import type { IdpSignal } from "./idp-signal";

/** Longest event id, person id or group id accepted (generous: a SailPoint event id is `<id>:<group>`). */
export const MAX_SIGNAL_ID_LENGTH = 512;

export function signalIsBounded(signal: IdpSignal): boolean {
  const ids = [signal.eventId, signal.subject, signal.groupId ?? ""];
  return ids.every((id) => id.length <= MAX_SIGNAL_ID_LENGTH);
}
