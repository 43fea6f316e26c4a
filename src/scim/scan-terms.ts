// Turns the filter comparisons no index answers (`ne`, `ew`, `not (…)`, `meta.created lt`, `title eq`…)
// into scan terms, checked on loaded resources within scim.limits.filterScanMax (find-ids.ts), so
// the rest of RFC 7644 §3.4.2.2 is answered instead of 400, never by an unbounded scan.
import type { ScanTerm } from "../store/directory-store-api";
import { KEYBRIDGE_USER_URN } from "../store/directory-types";
import { type AttributePath, resolveAttributePath } from "./attribute-catalog";
import { HR_DATE_ATTRIBUTES } from "./hr-dates";
import { isPlainObject, toBoolean } from "./normalise-values";
import { ScimError } from "./scim-error";
import type { ResourceKind } from "./translate-filter";

const OPS = new Set(["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr"]);
/** Kept outside resource documents (sets in Redis) or never stored: only their own indexed terms. */
const NOT_SCANNABLE = new Set(["members", "groups", "password"]);

function unsupported(detail: string): ScimError {
  return new ScimError(400, "invalidFilter", detail);
}

/** SCIMMY's shapes: ["eq", v], ["not", "eq", v], ["pr"], or a list of those on one attribute. */
function comparisons(raw: unknown): unknown[][] {
  if (!Array.isArray(raw)) throw unsupported("Filter syntax not supported.");
  return Array.isArray(raw[0]) ? (raw as unknown[][]) : [raw];
}

/** HR dates are strings in the schema (a date-only value is not a dateTime) but compare as instants. */
function compareKind(path: AttributePath): ScanTerm["compare"] {
  if (path.type === "dateTime") return "dateTime";
  if (
    path.extension === KEYBRIDGE_USER_URN &&
    (HR_DATE_ATTRIBUTES as readonly string[]).includes(path.attribute)
  )
    return "dateTime";
  if (path.type === "boolean") return "boolean";
  return path.caseExact ? "caseExact" : "string";
}

function scanTerm(path: AttributePath, raw: unknown[]): ScanTerm {
  const negated = String(raw[0]).toLowerCase() === "not";
  const [opRaw, value] = negated ? raw.slice(1) : raw;
  const op = String(opRaw).toLowerCase();
  if (!OPS.has(op)) throw unsupported("Unknown comparison operator.");
  const compare = compareKind(path);
  const keys = [...(path.extension ? [path.extension] : []), path.attribute, ...(path.sub ? [path.sub] : [])];
  const term: ScanTerm = { attr: "scan", path: keys, op: op as ScanTerm["op"], negated, compare };
  if (op === "pr") return term;
  // RFC 7644 §3.4.2.2: gt/ge/lt/le on a boolean, and co/sw/ew on anything but a string, are invalidFilter.
  if (compare === "boolean" && op !== "eq" && op !== "ne")
    throw unsupported("Booleans compare with eq, ne or pr only.");
  if (compare === "dateTime" && (op === "co" || op === "sw" || op === "ew"))
    throw unsupported("Dates compare with eq, ne, gt, ge, lt, le or pr.");
  if (compare === "dateTime" && Number.isNaN(Date.parse(String(value))))
    throw unsupported("A date comparison needs an RFC 3339 date-time value.");
  term.value = compare === "boolean" ? (toBoolean(value) as ScanTerm["value"]) : (value as ScanTerm["value"]);
  if (compare === "boolean" && typeof term.value !== "boolean")
    throw unsupported("A boolean comparison needs true or false.");
  return term;
}

function leafTerms(kind: ResourceKind, text: string, raw: unknown): ScanTerm[] {
  let path = resolveAttributePath(text, kind, "invalidFilter");
  if (NOT_SCANNABLE.has(path.attribute) && !path.extension)
    throw unsupported(`Filters on ${path.attribute} support only "value eq".`);
  // A complex attribute compared as a whole means its `value` (RFC 7644 §3.4.2.2, e.g. `emails co "x"`).
  if (path.type === "complex" && !path.sub)
    path = resolveAttributePath(`${text}.value`, kind, "invalidFilter");
  return comparisons(raw).map((c) => scanTerm(path, c));
}

/** Scan terms for one key of a DNF branch (`{emails: {type: [...], value: [...]}}` → two terms). */
export function scanTerms(kind: ResourceKind, key: string, raw: unknown): ScanTerm[] {
  if (!isPlainObject(raw)) return leafTerms(kind, key, raw);
  return Object.entries(raw).flatMap(([sub, value]) => leafTerms(kind, `${key}.${sub}`, value));
}
