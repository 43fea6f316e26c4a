// Value-level repairs of IdP dialects, applied before SCIMMY validates (scim-clients.md §2.1, §5.2):
// string booleans, manager as a plain string, roles as JSON strings, bare-string and duplicate members.

import { forEachInSlices } from "../store/yield-to-event-loop";

const BOOLEAN_KEYS = new Set(["active", "primary"]);

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** "True"/"False"/"true"/"false" → boolean; anything else unchanged (Entra without aadOptscim062020). */
export function toBoolean(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const lower = value.trim().toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  return value;
}

/** Deep copy with every `active`/`primary` string boolean turned into a boolean, at any depth. */
export function coerceBooleans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(coerceBooleans);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = BOOLEAN_KEYS.has(key.toLowerCase()) ? toBoolean(v) : coerceBooleans(v);
  }
  return out;
}

/** Entra sends the manager as the bare id string, or as a one-element array of {$ref,value}. */
export function normaliseManager(value: unknown): unknown {
  if (typeof value === "string") return value === "" ? null : { value };
  if (Array.isArray(value)) return value.length === 0 ? null : normaliseManager(value[0]);
  if (isPlainObject(value)) {
    const { value: id, displayName, $ref } = value;
    const out: Record<string, unknown> = {};
    if (id !== undefined) out.value = id;
    if (displayName !== undefined) out.displayName = displayName;
    if (typeof $ref === "string") out.$ref = $ref;
    return out;
  }
  return value;
}

/**
 * Entra's AppRoleAssignmentsComplex PATCH sends each role's `value` as a JSON string holding
 * {id, value, displayName} (scim-clients.md §2.1 "Roles"); we keep the role value and its display name.
 */
export function normaliseRoles(value: unknown): unknown {
  const list = Array.isArray(value) ? value : [value];
  return list.map((role) => {
    // A null or other non-string entry stays as sent, so check-multi-valued.ts rejects it.
    if (!isPlainObject(role) && typeof role !== "string") return role;
    const entry: Record<string, unknown> = isPlainObject(role) ? { ...role } : { value: role };
    if (typeof entry.value === "string" && entry.value.trim().startsWith("{")) {
      try {
        const parsed = JSON.parse(entry.value) as Record<string, unknown>;
        if (typeof parsed.value === "string") entry.value = parsed.value;
        if (typeof parsed.displayName === "string" && entry.display === undefined)
          entry.display = parsed.displayName;
      } catch {
        // Not JSON after all: keep the string as sent.
      }
    }
    return coerceBooleans(entry);
  });
}

type Member = { value: string; display?: string; type?: string };

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

/** Adds one member entry to `out` unless it has no id or repeats one already `seen`. */
function collectMember(item: unknown, seen: Set<string>, out: Member[]): void {
  const entry = typeof item === "string" ? { value: item } : isPlainObject(item) ? item : {};
  const id = entry.value;
  if (typeof id !== "string" || id === "" || seen.has(id)) return;
  seen.add(id);
  const member: Member = { value: id };
  if (typeof entry.display === "string") member.display = entry.display;
  out.push(member);
}

/** Member lists: bare strings → {value}, `type` lower-cased, duplicates (by value) dropped. */
export function normaliseMembers(value: unknown): Member[] {
  const seen = new Set<string>();
  const out: Member[] = [];
  for (const item of asList(value)) collectMember(item, seen, out);
  return out;
}

/** The id of one member entry (bare string or object), or undefined when it has none. */
function memberId(item: unknown): string | undefined {
  const id = typeof item === "string" ? item : isPlainObject(item) ? item.value : undefined;
  return typeof id === "string" && id !== "" ? id : undefined;
}

/**
 * memberIds for a POST/PUT body, which may carry an Okta full push: 200,000 entries, sliced, and
 * straight into the id list (no member object per entry: fewer allocations, less GC after the request).
 */
export async function memberIdsInSlices(value: unknown): Promise<string[]> {
  const seen = new Set<string>();
  const ids: string[] = [];
  await forEachInSlices(asList(value), (item) => {
    const id = memberId(item);
    if (id === undefined || seen.has(id)) return;
    seen.add(id);
    ids.push(id);
  });
  return ids;
}

/** Member ids only, first occurrence of each, in order (the ids normaliseMembers would keep). */
export function memberIds(value: unknown): string[] {
  const seen = new Set<string>();
  for (const item of asList(value)) {
    const id = memberId(item);
    if (id !== undefined) seen.add(id);
  }
  return [...seen];
}
