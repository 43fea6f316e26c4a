// Subset matching for fixture expectations: objects match key by key, arrays match when every expected
// element matches some actual element; "$absent" means the key must be missing, "$empty" missing or [].
export function subsetMismatch(actual: unknown, expected: unknown, path = "$"): string | undefined {
  if (expected === "$absent") return actual === undefined ? undefined : `${path}: expected absent`;
  if (expected === "$empty")
    return actual === undefined || (Array.isArray(actual) && actual.length === 0)
      ? undefined
      : `${path}: expected empty`;
  if (expected === "$any") return actual === undefined ? `${path}: expected a value` : undefined;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected an array, got ${JSON.stringify(actual)}`;
    for (const [i, e] of expected.entries()) {
      if (!actual.some((a) => subsetMismatch(a, e) === undefined))
        return `${path}[${i}]: no element matches ${JSON.stringify(e)} in ${JSON.stringify(actual)}`;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual))
      return `${path}: expected an object, got ${JSON.stringify(actual)}`;
    for (const [k, v] of Object.entries(expected)) {
      const miss = subsetMismatch((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
      if (miss) return miss;
    }
    return undefined;
  }
  return actual === expected
    ? undefined
    : `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}
