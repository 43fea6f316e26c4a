// Validates a PATCH or PUT of a stored user so that data an older edge stored (`emails:[null]`, a
// `name` that is a string, `accessValidUntil:"soon"`, a numeric userName) cannot block the IdP's
// later writes: above all a deactivation, which must always get through (ARCHITECTURE §3: taking
// access away never depends on optional person data).
import type { UserInput } from "../store/directory-store-api";
import { canonicalUser } from "./normalise-resource-body";
import { sameContent } from "./same-content";
import { isScimError } from "./scim-error";

type Json = Record<string, unknown>;

/** Stands in for an unchanged stored userName during validation only (never stored or answered). */
const PLACEHOLDER_USER_NAME = "unchanged-user-name";

/**
 * canonicalUser(next), except when that fails with a 400 and the stored user is itself invalid: then
 * only the top-level attributes the write changes (or adds) are validated and coerced, and every
 * attribute the write leaves exactly as stored is kept as stored; attributes the write drops stay
 * dropped. So a write fails only for what the IdP sent, never for what an older version kept — an
 * Entra `"active":"False"`, an Okta path-less `{active:false}` or a PUT echoing a broken GET all land.
 * Keeping (rather than dropping) the broken parts loses no person data; the pipeline reconciles such a
 * person anyway, and offboarding reads no person data at all. `check` is the request's own shape check
 * (checkBody for a PUT), applied to whatever is validated.
 */
export function canonicalUserChange(
  stored: Json,
  next: Json,
  check: (body: Json) => void = () => {},
): UserInput {
  try {
    check(next);
    return canonicalUser(next);
  } catch (err) {
    if (!isBadRequest(err) || isValidUser(stored, check)) throw err;
    // Null-prototype: a body's own "__proto__" key stays a plain key here, as in the body itself.
    const changed: Json = Object.create(null);
    const kept: Json = Object.create(null);
    for (const [key, value] of Object.entries(next)) {
      if (key === "schemas") continue;
      if (Object.hasOwn(stored, key) && sameContent(stored[key], value)) kept[key] = stored[key];
      else changed[key] = value;
    }
    check(changed);
    const sendsUserName = Object.keys(changed).some((k) => k.toLowerCase() === "username");
    const valid = canonicalUser({
      ...changed,
      schemas: next.schemas,
      ...(sendsUserName ? {} : { userName: PLACEHOLDER_USER_NAME }),
    }) as Json;
    if (!sendsUserName) delete valid.userName;
    // Kept keys are the stored ones, which are canonical: they win over defaults canonicalUser adds
    // (an absent `active` becomes false — but here `active` was sent unchanged, so it stays as stored).
    return { ...valid, ...kept } as UserInput;
  }
}

function isBadRequest(err: unknown): boolean {
  return isScimError(err) && err.status === 400;
}

function isValidUser(user: Json, check: (body: Json) => void): boolean {
  try {
    check(user);
    canonicalUser(user);
    return true;
  } catch {
    return false;
  }
}
