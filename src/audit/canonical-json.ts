// Canonical JSON for hashing audit records: object keys sorted by UTF-16 code units, no whitespace,
// numbers and strings as JSON.stringify writes them. For the values keybridge writes (ASCII keys,
// strings, integers, booleans, null) this equals RFC 8785 (JCS), so any language can recompute a hash.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(value).sort();
  const parts: string[] = [];
  for (const key of keys) {
    const item = value[key];
    if (item === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(item)}`);
  }
  return `{${parts.join(",")}}`;
}

/**
 * Turns any value into plain JSON the way JSON.stringify would (Dates to ISO strings, undefined
 * dropped, non-finite numbers to null), so what is hashed is exactly what a reader parses back.
 */
export function toJsonValue(value: unknown): JsonValue | undefined {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : (JSON.parse(text) as JsonValue);
}
