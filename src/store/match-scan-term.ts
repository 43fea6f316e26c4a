// Evaluates a scan term (a filter comparison no index answers) on one stored resource, with RFC 7644
// §3.4.2.2 semantics: a multi-valued attribute matches when any value does, strings compare
// case-insensitively unless the attribute is caseExact (RFC 7643 §2.2), dateTimes as instants.
import type { ScanTerm } from "./directory-store-api";

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object";

/** Every value at the path: arrays are flattened at each step (emails[].value → all values). */
function valuesAt(resource: Record<string, unknown>, path: string[]): unknown[] {
  let current: unknown[] = [resource];
  for (const key of path) {
    const next: unknown[] = [];
    for (const holder of current) {
      if (!isObject(holder) || Array.isArray(holder) || !Object.hasOwn(holder, key)) continue;
      const value = holder[key];
      if (Array.isArray(value)) next.push(...value);
      else next.push(value);
    }
    current = next;
  }
  return current.filter((v) => v !== undefined && v !== null && v !== "");
}

function ordered(op: ScanTerm["op"], order: number): boolean {
  if (op === "gt") return order > 0;
  if (op === "ge") return order >= 0;
  if (op === "lt") return order < 0;
  if (op === "le") return order <= 0;
  return order === 0;
}

function compareOne(term: ScanTerm, actual: unknown): boolean {
  const { op, value } = term;
  if (term.compare === "dateTime") {
    const a = Date.parse(String(actual));
    const b = Date.parse(String(value));
    if (Number.isNaN(a) || Number.isNaN(b)) return false;
    return ordered(op, Math.sign(a - b));
  }
  if (typeof actual === "boolean" || typeof value === "boolean") {
    if (op !== "eq") return false;
    return actual === value;
  }
  if (typeof actual !== "string" || typeof value !== "string") return op === "eq" && actual === value;
  const a = term.compare === "caseExact" ? actual : actual.toLowerCase();
  const b = term.compare === "caseExact" ? value : value.toLowerCase();
  if (op === "co") return a.includes(b);
  if (op === "sw") return a.startsWith(b);
  if (op === "ew") return a.endsWith(b);
  return ordered(op, a < b ? -1 : a > b ? 1 : 0);
}

/** True when the resource satisfies the term (`ne`: no value equals; `pr`: some value is present). */
export function matchesScanTerm(resource: Record<string, unknown>, term: ScanTerm): boolean {
  const values = valuesAt(resource, term.path);
  let result: boolean;
  if (term.op === "pr") result = values.length > 0;
  else if (term.op === "ne") result = !values.some((v) => compareOne({ ...term, op: "eq" }, v));
  else result = values.some((v) => compareOne(term, v));
  return term.negated ? !result : result;
}
