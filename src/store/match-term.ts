// Evaluates one filter term against a loaded resource, with the same normalisation as the indexes,
// so narrowing a candidate list in memory agrees with an index lookup.
import type { FilterTerm } from "./directory-store-api";
import { type IndexEntry, type IndexName, normaliseValue } from "./index-entries";
import { matchesScanTerm } from "./match-scan-term";
import { isUserActive } from "./user-active";

/** The index that answers a term's attribute, or null for attributes answered otherwise. */
export function indexOfAttribute(attr: FilterTerm["attr"]): IndexName | null {
  switch (attr) {
    case "userName":
    case "externalId":
    case "displayName":
    case "manager":
      return attr;
    case "emails.value":
      return "emails";
    case "emails.work.value":
      return "emailsWork";
    default:
      return null;
  }
}

function compare(op: "eq" | "sw" | "co", actual: string, expected: string): boolean {
  if (op === "eq") return actual === expected;
  if (op === "sw") return actual.startsWith(expected);
  return actual.includes(expected);
}

/**
 * True when the resource satisfies the term. `members` terms are answered by set membership, not
 * here; the caller checks them.
 */
export function matchesTerm(
  resource: { id: string; active?: unknown; meta: { lastModified: string } },
  entries: IndexEntry[],
  term: FilterTerm,
): boolean {
  if (term.attr === "scan") return matchesScanTerm(resource as unknown as Record<string, unknown>, term);
  if (term.attr === "id") return compare(term.op, resource.id, term.value);
  if (term.attr === "active") return isUserActive(resource) === term.value;
  if (term.attr === "meta.lastModified") {
    const actual = Date.parse(resource.meta.lastModified);
    const bound = Date.parse(term.value);
    if (term.op === "gt") return actual > bound;
    if (term.op === "ge") return actual >= bound;
    return term.op === "lt" ? actual < bound : actual <= bound;
  }
  const index = indexOfAttribute(term.attr);
  if (index === null) return false;
  const expected = normaliseValue(index, term.value);
  return entries.some((e) => e.index === index && compare(term.op, e.value, expected));
}
