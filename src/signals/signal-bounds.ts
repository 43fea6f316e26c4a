// Whether a signal's IdP-chosen strings are ones an IdP really sends, so applying it cannot fail on
// them. Okta uuids, ISC invocation ids and every IdP's object ids are short, well-formed strings; an id
// of megabytes would sit in the dedupe set (up to 100,000 ids per channel), the audit chain and the
// hold for a week, and a lone UTF-16 surrogate made every apply throw — which, at the head of the
// inbox or of a System Log page, held up every later signal of the tenant for good. Pure.
import type { IdpSignal } from "./idp-signal";

/** Longest event id, person id or group id accepted (generous: a SailPoint event id is `<id>:<group>`). */
export const MAX_SIGNAL_ID_LENGTH = 512;

/** A lone surrogate (with the u flag a well-formed pair is one code point and does not match). */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

const usable = (text: string) => text.length <= MAX_SIGNAL_ID_LENGTH && !LONE_SURROGATE.test(text);

export function signalIsBounded(signal: IdpSignal): boolean {
  const texts = [
    signal.eventId,
    signal.subject,
    signal.groupId ?? "",
    ...Object.values(signal.evidence ?? {}),
  ];
  return texts.every((t) => typeof t === "string" && usable(t));
}
