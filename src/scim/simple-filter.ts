// The filters IdPs send on every lookup — `userName eq "x"`, `externalId eq "y" and id eq "z"` — parsed
// without SCIMMY's general tokenizer (a few percent of every filtered GET). Only `and`-joined comparisons
// of a plain attribute path with a quoted string free of `"` and `\`; anything else returns undefined
// and SCIMMY parses it. The output is SCIMMY's own shape (test/scim/simple-filter.test.ts compares both).

/** SCIMMY's filter output: disjunctive normal form, one object of attribute comparisons per branch. */
export type ParsedFilter = Record<string, unknown>[];

const COMPARISON =
  /^([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)?)\s+(eq|ne|co|sw|ew|gt|lt|ge|le)\s+"([^"\\]*)"$/i;
const AND = /\s+and\s+/i;

/** SCIMMY lower-cases the first letter of each path segment and keeps the rest as written. */
const segmentName = (segment: string) => segment.charAt(0).toLowerCase() + segment.slice(1);

export function parseSimpleFilter(expression: string): ParsedFilter | undefined {
  const branch: Record<string, unknown> = {};
  // A quoted value containing " and " would be split here; such a value fails the pattern below
  // (its halves lose a quote), so it goes to SCIMMY.
  for (const part of expression.trim().split(AND)) {
    const match = COMPARISON.exec(part);
    if (!match) return undefined;
    const [, path, op, value] = match as unknown as [string, string, string, string];
    const segments = path.split(".").map(segmentName);
    const name = segments.pop() as string;
    let holder = branch;
    for (const segment of segments) {
      const next = holder[segment] ?? {};
      if (Array.isArray(next)) return undefined; // `name eq "x" and name.givenName eq "y"`: SCIMMY decides
      holder[segment] = next;
      holder = next as Record<string, unknown>;
    }
    const comparison = [op.toLowerCase(), value];
    const existing = holder[name];
    if (existing === undefined) holder[name] = comparison;
    else if (!Array.isArray(existing)) return undefined;
    else holder[name] = Array.isArray(existing[0]) ? [...existing, comparison] : [existing, comparison];
  }
  return [branch];
}
