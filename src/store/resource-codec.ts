// Converts users and groups between their Redis hash form and SCIM resources (RFC 7643 §3.1 `meta`).
//
// A resource is one string `<version>|<seq>|<created>|<lastModified>|<canonical JSON body>` (body
// without id, meta or members). One string rather than a hash: a hash with a field over 64 bytes
// leaves Redis's compact listpack encoding and costs about 400 bytes more per user (measured). The
// header lets a script bump version and lastModified without parsing the JSON.
import type { StoredGroup } from "./directory-store-api";
import type { StoredUser } from "./directory-types";

export interface StoredRecord {
  version: number;
  seq: number;
  created: string;
  lastModified: string;
  body: string;
}

/** Splits a stored string into header and body; null for a missing resource. */
export function splitRecord(raw: string | null | undefined): StoredRecord | null {
  if (raw == null) return null;
  const cuts: number[] = [];
  for (let at = -1, i = 0; i < 4; i++) {
    at = raw.indexOf("|", at + 1);
    if (at < 0) return null;
    cuts.push(at);
  }
  const [a, b, c, d] = cuts as [number, number, number, number];
  return {
    version: Number(raw.slice(0, a)),
    seq: Number(raw.slice(a + 1, b)),
    created: raw.slice(b + 1, c),
    lastModified: raw.slice(c + 1, d),
    body: raw.slice(d + 1),
  };
}

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

function decode(id: string, raw: string | null | undefined, resourceType: "User" | "Group") {
  const record = splitRecord(raw);
  if (!record) return null;
  const body = JSON.parse(record.body) as Record<string, unknown>;
  const meta = {
    resourceType,
    created: record.created,
    lastModified: record.lastModified,
    version: formatVersion(record.version),
  };
  return { ...body, id, meta };
}

export function decodeUser(id: string, raw: string | null | undefined): StoredUser | null {
  return decode(id, raw, "User") as StoredUser | null;
}

export function decodeGroup(id: string, raw: string | null | undefined): StoredGroup | null {
  return decode(id, raw, "Group") as StoredGroup | null;
}
