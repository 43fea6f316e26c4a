// Converts users and groups between their Redis hash form and SCIM resources (RFC 7643 §3.1 `meta`).
//
// A resource is one hash: `j` the canonical JSON body (no id, no meta, no members), `c` created,
// `m` lastModified, `v` the integer version, `s` the creation sequence. Keeping version and
// lastModified outside the JSON lets a member add bump them without rewriting the body.
import type { StoredGroup } from "./directory-store-api";
import type { StoredUser } from "./directory-types";

/** Field order used by every HMGET of a resource. */
export const RESOURCE_FIELDS = ["j", "c", "m", "v"] as const;

/** meta.version as a weak entity tag (RFC 7644 §3.14, RFC 7232 §2.3). */
export function formatVersion(version: number): string {
  return `W/"${version}"`;
}

/** Reads an If-Match value: `W/"3"`, `"3"` or `3`; `*` matches any version; null when unparseable. */
export function parseVersion(tag: string): number | "*" | null {
  const trimmed = tag.trim();
  if (trimmed === "*") return "*";
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(trimmed);
  return match?.[1] === undefined ? null : Number(match[1]);
}

/** JSON with object keys sorted at every level, so equal resources have equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const child = (value as Record<string, unknown>)[key];
    if (child !== undefined) out[key] = sortKeys(child);
  }
  return out;
}

/**
 * The stored body of a resource: the input without the attributes the store owns. `groups` on a
 * User is derived from memberships (RFC 7643 §4.1.2, read-only) and `members` lives in its own set.
 */
export function bodyOf(input: Record<string, unknown>, resourceType: "User" | "Group"): string {
  const { id: _id, meta: _meta, ...rest } = input;
  if (resourceType === "User") delete rest.groups;
  else delete rest.members;
  return canonicalJson(rest);
}

type HashFields = (string | null)[];

function decode(
  id: string,
  fields: HashFields,
  resourceType: "User" | "Group",
): Record<string, unknown> | null {
  const [j, c, m, v] = fields;
  if (j == null || c == null || m == null || v == null) return null;
  const body = JSON.parse(j) as Record<string, unknown>;
  return {
    ...body,
    id,
    meta: { resourceType, created: c, lastModified: m, version: formatVersion(Number(v)) },
  };
}

export function decodeUser(id: string, fields: HashFields): StoredUser | null {
  return decode(id, fields, "User") as StoredUser | null;
}

export function decodeGroup(id: string, fields: HashFields): StoredGroup | null {
  return decode(id, fields, "Group") as StoredGroup | null;
}
