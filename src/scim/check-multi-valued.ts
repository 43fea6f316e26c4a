// Rejects multi-valued attribute shapes the pipeline cannot use (issue #9): a null or a scalar where a
// complex value belongs (`"emails":[null]` was stored and made every later reconcile of that person
// throw), and more entries than the configured limit, so every request's work stays bounded.
import { ScimError } from "./scim-error";
import { forEachInSlices, TimeSlicer } from "../store/yield-to-event-loop";

/**
 * The User's and Group's multi-valued attributes (RFC 7643 §4.1.2, §4.2), by lower-case name, and whether
 * a bare string is a dialect we accept: Entra's JSON-string roles, bare-string members and groups
 * (scim-clients.md §2.1, §5.2). Every other entry must be an object.
 */
const MULTI_VALUED = new Map<string, { strings: boolean; counted: boolean }>([
  ["emails", { strings: false, counted: true }],
  ["phonenumbers", { strings: false, counted: true }],
  ["ims", { strings: false, counted: true }],
  ["photos", { strings: false, counted: true }],
  ["addresses", { strings: false, counted: true }],
  ["entitlements", { strings: false, counted: true }],
  ["roles", { strings: true, counted: true }],
  ["x509certificates", { strings: false, counted: true }],
  // Memberships are bounded per PATCH (patchMaxMembers) and, in POST/PUT, by maxGroupBodyBytes: Okta PUTs a
  // pushed group with all its members (scim-clients.md §2.2 Group Push step 5).
  ["groups", { strings: true, counted: false }],
  ["members", { strings: true, counted: false }],
]);

export const DETAIL_BAD_ENTRY = "A multi-valued attribute contains an entry that is not an object.";
export const DETAIL_TOO_MANY_ENTRIES = "A multi-valued attribute has more entries than this service accepts.";

export function isMultiValued(name: string): boolean {
  return MULTI_VALUED.has(name.toLowerCase());
}

function validEntry(entry: unknown, strings: boolean): boolean {
  if (typeof entry === "string") return strings;
  return entry !== null && typeof entry === "object" && !Array.isArray(entry);
}

/**
 * Checks one attribute's value as a request sent it; anything that is not an array (a single value, a
 * null meaning "unset") is left to the schema coercion. The error names the attribute, never a value.
 */
export function checkMultiValued(name: string, value: unknown, maxEntries: number): void {
  const rule = MULTI_VALUED.get(name.toLowerCase());
  if (!rule || !Array.isArray(value)) return;
  if (rule.counted && value.length > maxEntries)
    throw new ScimError(400, "invalidValue", `${DETAIL_TOO_MANY_ENTRIES} (${name}: at most ${maxEntries})`);
  for (const entry of value)
    if (!validEntry(entry, rule.strings))
      throw new ScimError(400, "invalidValue", `${DETAIL_BAD_ENTRY} (${name})`);
}

/** Checks every top-level multi-valued attribute of a POST/PUT body (names are case-insensitive). */
export function checkResourceBody(body: Record<string, unknown>, maxEntries: number): void {
  for (const [key, value] of Object.entries(body)) checkMultiValued(key, value, maxEntries);
}

/**
 * checkResourceBody for a group POST/PUT, which may carry an Okta full push (200,000 members, ~11 ms of
 * checks on an idle machine): the same checks in the same order, in slices (issue #9 item 3).
 */
export async function checkResourceBodyInSlices(
  body: Record<string, unknown>,
  maxEntries: number,
): Promise<void> {
  const slicer = new TimeSlicer();
  for (const [key, value] of Object.entries(body)) {
    const rule = MULTI_VALUED.get(key.toLowerCase());
    if (rule && Array.isArray(value) && (!rule.counted || value.length <= maxEntries))
      await forEachInSlices(
        value,
        (entry) => {
          if (!validEntry(entry, rule.strings))
            throw new ScimError(400, "invalidValue", `${DETAIL_BAD_ENTRY} (${key})`);
        },
        slicer,
      );
    else checkMultiValued(key, value, maxEntries);
  }
}

/** How many entries the counted multi-valued attributes of a resource hold, by attribute. */
function counts(resource: Record<string, unknown>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, value] of Object.entries(resource))
    if (MULTI_VALUED.get(key.toLowerCase())?.counted && Array.isArray(value)) out.set(key, value.length);
  return out;
}

/**
 * After a PATCH: an attribute may not grow past the limit through many small `add`s. One that was
 * already larger (a lowered limit) may still shrink or stay, so a deactivation never fails on it.
 */
export function checkPatchedGrowth(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  maxEntries: number,
): void {
  const previous = counts(before);
  for (const [key, size] of counts(after))
    if (size > maxEntries && size > (previous.get(key) ?? 0))
      throw new ScimError(400, "invalidValue", `${DETAIL_TOO_MANY_ENTRIES} (${key}: at most ${maxEntries})`);
}
