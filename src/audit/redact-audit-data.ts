// Defensive redaction of audit data: secrets never reach the trail, and neither do e-mail addresses
// (personal data the trail does not need; data.userName is the one login name SCIM records may carry).
import type { JsonValue } from "./canonical-json";

export const REDACTED = "[redacted]";

/** Key names that hold secrets or e-mail addresses, matched case-insensitively anywhere in the name. */
const SECRET_KEY =
  /token|password|passwd|secret|authorization|api[-_]?key|credential|cookie|private[-_]?key/i;
const EMAIL_KEY = /^(e-?mails?|mail)$|email/i;
/** Identifiers of secrets (tokenId, secret_id) name them without revealing them. */
const IDENTIFIER_KEY = /(Id|Ids|_id|_ids)$/;
/** Values that are credentials whatever key they sit under (RFC 7617 Basic, RFC 6750 Bearer). */
const CREDENTIAL_VALUE = /^(bearer|basic)\s+\S/i;

export function redactAuditData(value: JsonValue): JsonValue {
  if (typeof value === "string") return CREDENTIAL_VALUE.test(value) ? REDACTED : value;
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(redactAuditData);
  const out: { [key: string]: JsonValue } = {};
  for (const [key, item] of Object.entries(value)) {
    const hidden = (SECRET_KEY.test(key) && !IDENTIFIER_KEY.test(key)) || EMAIL_KEY.test(key);
    out[key] = hidden ? REDACTED : redactAuditData(item);
  }
  return out;
}
