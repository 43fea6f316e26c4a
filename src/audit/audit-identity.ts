// The identity an audit record names a person by: the IdP's userName and externalId, as the SCIM
// edge stored them. Recorded so an auditor reading an export (or the evidence report built from one)
// sees who a grant or revocation concerned without access to keybridge's directory.

export interface AuditIdentity {
  userName?: string;
  externalId?: string;
}

/** The identity fields of a stored or incoming user; only non-empty strings are kept. */
export function auditIdentity(user: { userName?: unknown; externalId?: unknown }): AuditIdentity {
  const out: AuditIdentity = {};
  if (typeof user.userName === "string" && user.userName !== "") out.userName = user.userName;
  if (typeof user.externalId === "string" && user.externalId !== "") out.externalId = user.externalId;
  return out;
}
