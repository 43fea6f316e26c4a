// Order-insensitive comparison of two JSON objects, to skip writes that would change nothing (Okta
// re-sends the group rename with every membership PATCH: scim-clients.md §2.2 Group Push step 2).
function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((k) => [k, stable((value as Record<string, unknown>)[k])]),
    );
  return value;
}

export function sameContent(a: unknown, b: unknown): boolean {
  return JSON.stringify(stable(a)) === JSON.stringify(stable(b));
}

/** The resource without server-owned attributes, as a write would hand it to the store. */
export function withoutServerFields<T extends Record<string, unknown>>(resource: T): Record<string, unknown> {
  const { id: _id, meta: _meta, ...rest } = resource;
  return rest;
}
