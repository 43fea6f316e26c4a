// Parses a PATCH path (RFC 7644 §3.5.2 PATH grammar) into schema, attribute, value filter and
// sub-attribute, with attribute names matched case-insensitively (RFC 7643 §2.1).
import {
  CORE_GROUP_URN,
  CORE_USER_URN,
  ENTERPRISE_USER_URN,
  KEYBRIDGE_USER_URN,
} from "../store/directory-types";
import { ScimError } from "./scim-error";

export const EXTENSION_URNS = [ENTERPRISE_USER_URN, KEYBRIDGE_USER_URN] as const;
const CORE_URNS = [CORE_USER_URN, CORE_GROUP_URN];

const KNOWN_NAMES = [
  "userName",
  "name",
  "formatted",
  "familyName",
  "givenName",
  "middleName",
  "honorificPrefix",
  "honorificSuffix",
  "displayName",
  "nickName",
  "profileUrl",
  "title",
  "userType",
  "preferredLanguage",
  "locale",
  "timezone",
  "active",
  "password",
  "emails",
  "phoneNumbers",
  "ims",
  "photos",
  "addresses",
  "groups",
  "entitlements",
  "roles",
  "x509Certificates",
  "value",
  "display",
  "type",
  "primary",
  "$ref",
  "streetAddress",
  "locality",
  "region",
  "postalCode",
  "country",
  "externalId",
  "id",
  "meta",
  "schemas",
  "members",
  "employeeNumber",
  "costCenter",
  "organization",
  "division",
  "department",
  "manager",
  "employeeType",
  "site",
  "accessValidFrom",
  "accessValidUntil",
];
const IMPLIED_EXTENSION = new Map<string, string>([
  ...[
    "employeeNumber",
    "costCenter",
    "organization",
    "division",
    "department",
    "manager",
    "employeeType",
  ].map((n): [string, string] => [n, ENTERPRISE_USER_URN]),
  ...["site", "accessValidFrom", "accessValidUntil"].map((n): [string, string] => [n, KEYBRIDGE_USER_URN]),
]);
const CANONICAL = new Map(KNOWN_NAMES.map((n) => [n.toLowerCase(), n]));

/** The canonical spelling of a known attribute name, or the name as sent. */
export function canonicalName(name: string): string {
  return CANONICAL.get(name.toLowerCase()) ?? name;
}

export interface PatchPath {
  /** Extension URN when the attribute lives in an extension object, else undefined. */
  extension?: string;
  attribute: string;
  /** The text inside [...], e.g. `type eq "work"`. */
  filter?: string;
  subAttribute?: string;
}

/** Splits `urn:…:User:attr` into the extension URN (if any) and the rest; core URNs are dropped. */
export function splitUrn(path: string): { extension?: string; rest: string } {
  const lower = path.toLowerCase();
  for (const urn of EXTENSION_URNS) {
    if (lower === urn.toLowerCase()) return { extension: urn, rest: "" };
    if (lower.startsWith(`${urn.toLowerCase()}:`))
      return { extension: urn, rest: path.slice(urn.length + 1) };
  }
  for (const urn of CORE_URNS) {
    if (lower.startsWith(`${urn.toLowerCase()}:`)) return { rest: path.slice(urn.length + 1) };
  }
  return { rest: path };
}

/**
 * Names that reach prototypes when used as property keys. SCIMMY 1.3.5 builds objects from the attribute
 * paths of PATCH value filters, so `emails[__proto__.x eq "1"]` wrote onto Object.prototype of the whole
 * process (issue #9); no SCIM schema has attributes with these names, so they are invalid everywhere.
 */
const FORBIDDEN_NAMES = new Set(["__proto__", "constructor", "prototype"]);
export const DETAIL_FORBIDDEN_PATH = "PATCH path names a forbidden attribute.";

/** String literals of a filter, which may legitimately contain any word. */
const QUOTED = /"(?:[^"\\]|\\.)*"/g;
/** Attribute path segments: runs of name characters, split at `.`, `:` and everything else. */
const NAME_RUN = /[\w$-]+/g;

/** True when any attribute name in `text` (outside string literals) is one of FORBIDDEN_NAMES. */
export function namesForbiddenAttribute(text: string): boolean {
  const unquoted = text.replace(QUOTED, " ");
  for (const [name] of unquoted.matchAll(NAME_RUN)) if (FORBIDDEN_NAMES.has(name.toLowerCase())) return true;
  return false;
}

export function parsePatchPath(path: string): PatchPath {
  if (namesForbiddenAttribute(path)) throw new ScimError(400, "invalidPath", DETAIL_FORBIDDEN_PATH);
  const { extension, rest } = splitUrn(path.trim());
  const match = /^([A-Za-z$][\w$-]*)(?:\[(.+)\])?(?:\.([A-Za-z$][\w$-]*))?$/.exec(rest);
  if (!match?.[1]) throw new ScimError(400, "invalidPath", "Unsupported PATCH path.");
  const parsed: PatchPath = { attribute: canonicalName(match[1]) };
  // Extension attributes without their URN (`manager`, `site`) can only mean the extension's.
  const implied = extension ?? IMPLIED_EXTENSION.get(parsed.attribute);
  if (implied) parsed.extension = implied;
  if (match[2]) parsed.filter = match[2];
  if (match[3]) parsed.subAttribute = canonicalName(match[3]);
  return parsed;
}

/** The path's last attribute name (for value repairs that depend on it). */
export function leafName(path: PatchPath): string {
  return path.subAttribute ?? path.attribute;
}
