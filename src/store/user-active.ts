// The one meaning of a User's `active` flag, read alike by the SCIM edge, the directory's active index,
// the audit's (de)activation records, mapping and the reconcile pipeline.

/**
 * Only an explicit `true` is active. RFC 7643 §4.1.1 gives `active` no default and leaves its meaning
 * to the service provider; for a bridge to physical access the safe reading is fail-closed: an absent
 * or null `active` (a PUT that omits it, `PATCH remove active`, a POST without it) is not active and
 * revokes. The other reading would let an omission keep a leaver's keys; this one at worst withholds
 * access from someone the IdP forgot to mark active, which is visible and fixed in the IdP's mapping.
 */
export function isUserActive(user: { active?: unknown }): boolean {
  return user.active === true;
}

/**
 * The stored form of a user: an absent or null `active` is written as `false`, so a GET, a filter on
 * `active` and the audit all say what the pipeline does. Keys are matched case-insensitively, as
 * SCIMMY reads a body (`"Active": true` is active); a non-boolean value is left for SCIMMY to refuse.
 */
export function withExplicitActive<T extends Record<string, unknown>>(user: T): T {
  const keys = Object.keys(user).filter((k) => k.toLowerCase() === "active");
  if (keys.some((k) => user[k] !== undefined && user[k] !== null)) return user;
  const out: Record<string, unknown> = { ...user };
  for (const k of keys) delete out[k];
  out.active = false;
  return out as T;
}
