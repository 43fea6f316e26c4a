// Reads one string value from a stored SCIM user by a configured attribute path (RFC 7644 §3.10
// attribute notation, plus the one value filter RFC 7644 §3.5.2 needs for "the mobile number").
import type { StoredUser } from "../store/directory-types";

export interface AttributePath {
  /** Schema URN for an extension attribute (`urn:…:User`), absent for core attributes. */
  urn?: string;
  attribute: string;
  subAttribute?: string;
  /** `[type eq "x"]`: only elements of a multi-valued attribute with this type. */
  type?: string;
}

const PATH =
  /^(?:(urn:[A-Za-z0-9.:-]+):)?([A-Za-z][A-Za-z0-9]*)(?:\.([A-Za-z][A-Za-z0-9]*))?(?:\[type eq "([^"\]]+)"\])?$/;

/** Parses the notation config-schema's ATTRIBUTE_PATH admits; null for anything else. */
export function parseAttributePath(text: string): AttributePath | null {
  const m = PATH.exec(text);
  if (!m?.[2]) return null;
  const path: AttributePath = { attribute: m[2] };
  if (m[1]) path.urn = m[1];
  if (m[3]) path.subAttribute = m[3];
  if (m[4]) path.type = m[4];
  return path;
}

/** Attribute names are case-insensitive (RFC 7643 §2.1): find the stored key whatever its case. */
function member(obj: unknown, name: string): unknown {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) return undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(obj)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

const text = (v: unknown): string | undefined =>
  typeof v === "string" && v.trim() !== "" ? v.trim() : typeof v === "number" ? String(v) : undefined;

/**
 * Multi-valued attributes: with a type filter, the primary matching element, else the first matching
 * one (type values compare case-insensitively, RFC 7643 §2.4 canonical values); without a filter, the
 * primary element, else the first.
 */
function pickElement(list: unknown[], type: string | undefined): unknown {
  const items = list.filter((i) => i !== null && typeof i === "object");
  const matching =
    type === undefined
      ? items
      : items.filter((i) => String(member(i, "type") ?? "").toLowerCase() === type.toLowerCase());
  return matching.find((i) => member(i, "primary") === true) ?? matching[0];
}

/** The value at `path`, or undefined when the person has none (absent, empty, or no matching element). */
export function readAttributePath(user: StoredUser, path: AttributePath): string | undefined {
  const container = path.urn ? member(user, path.urn) : user;
  const value = member(container, path.attribute);
  if (Array.isArray(value)) {
    const element = pickElement(value, path.type);
    return text(member(element, path.subAttribute ?? "value"));
  }
  if (path.type !== undefined) return undefined;
  return text(path.subAttribute ? member(value, path.subAttribute) : value);
}
