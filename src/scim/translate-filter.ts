// Translates a SCIM filter (RFC 7644 §3.4.2.2), parsed into DNF, into the store's Filter: indexed terms
// where an index answers, else scan terms checked on at most scim.limits.filterScanMax resources.
import type { Filter, FilterTerm } from "../store/directory-store-api";
import { ENTERPRISE_USER_URN } from "../store/directory-types";
import { isPlainObject, toBoolean } from "./normalise-values";
import { canonicalName, splitUrn } from "./patch-path";
import { type ParseFilterOptions, parseFilter } from "./scimmy-port";
import { isScimError, ScimError } from "./scim-error";
import { scanTerms } from "./scan-terms";

export type ResourceKind = "User" | "Group";

type Comparison = [string, unknown];

const STRING_ATTRS = {
  User: ["id", "userName", "externalId", "displayName"],
  Group: ["id", "externalId", "displayName"],
};
/** sw/co only where the store keeps a prefix/substring index (issue 2 §5). */
const PATTERN_ATTRS = new Set(["userName", "displayName"]);

function invalid(): ScimError {
  return new ScimError(400, "invalidFilter", "Filter not supported: use eq/and on indexed attributes.");
}

/** SCIMMY gives ["eq", v] for one comparison and [["eq", a], ["eq", b]] for several on one attribute. */
function comparisons(raw: unknown): Comparison[] {
  if (!Array.isArray(raw)) throw invalid();
  if (Array.isArray(raw[0])) return raw as Comparison[];
  return [raw as Comparison];
}

function asString(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw invalid();
}

function stringTerms(attr: string, raw: unknown): FilterTerm[] {
  return comparisons(raw).map(([op, value]) => {
    const o = String(op).toLowerCase();
    if (o === "eq" || ((o === "sw" || o === "co") && PATTERN_ATTRS.has(attr)))
      return { attr, op: o, value: asString(value) } as FilterTerm;
    throw invalid();
  });
}

function eqValue(raw: unknown): string {
  const list = comparisons(raw);
  if (list.length !== 1 || String(list[0]?.[0]).toLowerCase() !== "eq") throw invalid();
  return asString(list[0]?.[1]);
}

/** `x eq "v"` or `x.value eq "v"` (manager, members). */
function referenceTerm(attr: "manager" | "members", raw: unknown): FilterTerm {
  if (isPlainObject(raw)) {
    const keys = Object.keys(raw);
    if (keys.length !== 1 || keys[0]?.toLowerCase() !== "value") throw invalid();
    return { attr, op: "eq", value: eqValue(raw[keys[0]]) };
  }
  return { attr, op: "eq", value: eqValue(raw) };
}

function emailTerm(raw: unknown): FilterTerm {
  if (!isPlainObject(raw)) return { attr: "emails.value", op: "eq", value: eqValue(raw) };
  const byName = new Map(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), v]));
  const value = byName.get("value");
  const type = byName.get("type");
  if (value === undefined || byName.size > (type === undefined ? 1 : 2)) throw invalid();
  if (type === undefined) return { attr: "emails.value", op: "eq", value: eqValue(value) };
  if (eqValue(type).toLowerCase() !== "work") throw invalid();
  return { attr: "emails.work.value", op: "eq", value: eqValue(value) };
}

function lastModifiedTerms(raw: unknown): FilterTerm[] {
  if (!isPlainObject(raw)) throw invalid();
  const entries = Object.entries(raw);
  if (entries.length !== 1 || entries[0]?.[0].toLowerCase() !== "lastmodified") throw invalid();
  return comparisons(entries[0]?.[1]).map(([op, value]) => {
    const o = String(op).toLowerCase();
    if (!["gt", "ge", "lt", "le"].includes(o) || Number.isNaN(Date.parse(asString(value)))) throw invalid();
    const range = o as "gt" | "ge" | "lt" | "le";
    return { attr: "meta.lastModified", op: range, value: new Date(asString(value)).toISOString() };
  });
}

function termsFor(kind: ResourceKind, key: string, raw: unknown): FilterTerm[] {
  const { extension, rest } = splitUrn(key);
  if (extension && extension !== ENTERPRISE_USER_URN) throw invalid();
  const [head, ...tail] = rest.split(".");
  const attr = canonicalName(head ?? "");
  // SCIMMY keeps dotted names flat when they come URN-qualified (`urn:…:manager.value`).
  const value = tail.length > 0 ? { [tail.join(".")]: raw } : raw;
  if (extension) {
    if (kind !== "User" || attr !== "manager") throw invalid();
    return [referenceTerm("manager", value)];
  }
  if ((STRING_ATTRS[kind] as string[]).includes(attr) && tail.length === 0) return stringTerms(attr, raw);
  if (attr === "meta") return lastModifiedTerms(value);
  if (kind === "User" && attr === "emails") return [emailTerm(value)];
  if (kind === "User" && attr === "manager") return [referenceTerm("manager", value)];
  if (kind === "Group" && attr === "members") return [referenceTerm("members", value)];
  if (kind === "User" && attr === "active") {
    const v = toBoolean(eqValue(value));
    if (typeof v !== "boolean") throw invalid();
    return [{ attr: "active", op: "eq", value: v }];
  }
  throw invalid();
}

/** The indexed terms for one key of a branch, or, where no index answers it, scan terms. */
function indexedOrScan(kind: ResourceKind, key: string, raw: unknown): FilterTerm[] {
  try {
    return termsFor(kind, key, raw);
  } catch (err) {
    if (!isScimError(err) || err.scimType !== "invalidFilter") throw err;
    return scanTerms(kind, key, raw);
  }
}

/** `undefined`/empty → no filter; otherwise DNF of indexed terms, or 400 invalidFilter. */
export function translateFilter(
  kind: ResourceKind,
  expression: string | undefined,
  limits?: ParseFilterOptions["limits"],
): Filter {
  if (expression === undefined || expression.trim() === "") return null;
  const parsed = parseFilter(expression, limits ? { limits, scope: kind } : { scope: kind });
  if (parsed.length === 0) throw invalid();
  return parsed.map((branch) => {
    const terms = Object.entries(branch).flatMap(([key, raw]) => indexedOrScan(kind, key, raw));
    if (terms.length === 0) throw invalid();
    return terms;
  });
}
