// Value-level repairs of IdP dialects, applied before SCIMMY validates (scim-clients.md §2.1, §5.2):
// string booleans, manager as a plain string, roles as JSON strings, bare-string and duplicate members.

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

/** Member lists: bare strings → {value}, `type` lower-cased, duplicates (by value) dropped. */
export function normaliseMembers(value: unknown): { value: string; display?: string; type?: string }[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  const seen = new Set<string>();
  const out: { value: string; display?: string; type?: string }[] = [];
  for (const item of list) {
    const entry = typeof item === "string" ? { value: item } : isPlainObject(item) ? item : {};
    const id = entry.value;
    if (typeof id !== "string" || id === "" || seen.has(id)) continue;
    seen.add(id);
    const member: { value: string; display?: string; type?: string } = { value: id };
    if (typeof entry.display === "string") member.display = entry.display;
    out.push(member);
  }
  return out;
}

/** Member ids only. */
export function memberIds(value: unknown): string[] {
  return normaliseMembers(value).map((m) => m.value);
}
