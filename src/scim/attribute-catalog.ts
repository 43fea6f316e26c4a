// Resolves an attribute path from a request (filter, attributes, excludedAttributes, sortBy) against the
// schemas keybridge serves, before anything builds objects from it: SCIMMY 1.3.5 turns filter paths
// into nested objects, so `__proto__.x` or `constructor.prototype.x` wrote onto Object.prototype for
// every tenant (issue 9). Only names the schemas define get through, spelled as the schema spells them.
import {
  CORE_GROUP_URN,
  CORE_USER_URN,
  ENTERPRISE_USER_URN,
  KEYBRIDGE_USER_URN,
} from "../store/directory-types";
import { ScimError } from "./scim-error";
import { describeSchemas } from "./scimmy-port";

/** Which resource's schemas a path must exist in; "any" accepts a name of any schema (value filters). */
export type AttributeScope = "User" | "Group" | "any";

export interface AttributePath {
  /** Extension URN the path was qualified with, when the client wrote one. */
  urn?: string;
  /** Extension the attribute lives in (written or implied: `manager` is the enterprise extension's). */
  extension?: string;
  attribute: string;
  sub?: string;
  /** The schema's type of the attribute the path ends at (RFC 7643 §2.3), when the scope names one. */
  type?: string;
  /** Whether string values compare case-sensitively (RFC 7643 §2.2 caseExact). */
  caseExact?: boolean;
}

interface Described {
  name: string;
  type?: string;
  caseExact?: boolean;
}

interface AttributeInfo extends Described {
  extension?: string;
  subs: Map<string, string>;
  subInfo: Map<string, Described>;
}

interface Catalog {
  User: Map<string, AttributeInfo[]>;
  Group: Map<string, AttributeInfo[]>;
  /** Every attribute and sub-attribute name of every schema (lower-case → canonical). */
  anyName: Map<string, string>;
}

/** Never a SCIM attribute, whatever the case: the names that reach Object.prototype. */
const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);
/** RFC 7644 §3.10 / ABNF ATTRNAME: ALPHA *(nameChar); `$ref` is the one sub-attribute outside it. */
const NAME = /^(?:[A-Za-z][\w-]*|\$ref)$/;
const COMMON: Described[] = [
  { name: "id", type: "string", caseExact: true },
  { name: "externalId", type: "string", caseExact: true },
  { name: "schemas", type: "reference", caseExact: true },
  { name: "meta", type: "complex" },
];
const META_SUBS: Described[] = [
  { name: "resourceType", type: "string", caseExact: true },
  { name: "created", type: "dateTime" },
  { name: "lastModified", type: "dateTime" },
  { name: "location", type: "reference", caseExact: true },
  { name: "version", type: "string", caseExact: true },
];

let catalog: Catalog | undefined;

function info(attr: Described, subs: Described[], extension?: string): AttributeInfo {
  const entry: AttributeInfo = {
    ...attr,
    subs: new Map(subs.map((s) => [s.name.toLowerCase(), s.name])),
    subInfo: new Map(subs.map((s) => [s.name.toLowerCase(), s])),
  };
  if (extension) entry.extension = extension;
  return entry;
}

type DocAttribute = Described & { subAttributes?: Described[] };

function fromDocument(doc: Record<string, unknown>, extension?: string): AttributeInfo[] {
  const attributes = doc.attributes as DocAttribute[];
  return attributes.map((a) =>
    info({ name: a.name, type: a.type, caseExact: a.caseExact }, a.subAttributes ?? [], extension),
  );
}

function index(entries: AttributeInfo[]): Map<string, AttributeInfo[]> {
  const map = new Map<string, AttributeInfo[]>();
  for (const e of entries) map.set(e.name.toLowerCase(), [...(map.get(e.name.toLowerCase()) ?? []), e]);
  return map;
}

/** Built once from the SCIMMY definitions after prepareScimmy() (they never change afterwards). */
function catalogOf(): Catalog {
  if (catalog) return catalog;
  const docs = describeSchemas();
  const common = COMMON.map((a) => info(a, a.name === "meta" ? META_SUBS : []));
  const user = [
    ...common,
    ...fromDocument(docs.user),
    ...fromDocument(docs.enterprise, ENTERPRISE_USER_URN),
    ...fromDocument(docs.keybridge, KEYBRIDGE_USER_URN),
  ];
  const group = [...common, ...fromDocument(docs.group)];
  const anyName = new Map<string, string>();
  for (const e of [...user, ...group]) {
    anyName.set(e.name.toLowerCase(), e.name);
    for (const [lower, sub] of e.subs) anyName.set(lower, sub);
  }
  catalog = { User: index(user), Group: index(group), anyName };
  return catalog;
}

function unknownPath(scimType: string, text: string): ScimError {
  // Echo the path only when it is a plain attribute name: it helps an operator, and carries no data.
  const shown = /^[\w.:$-]{1,100}$/.test(text) ? ` "${text}"` : "";
  return new ScimError(400, scimType, `Unknown attribute${shown}: not in the resource's schema.`);
}

/** The URN a path starts with (extension or core), compared case-insensitively (RFC 7643 §2.1). */
function splitQualified(text: string): { urn?: string; core?: string; rest: string } {
  const lower = text.toLowerCase();
  for (const urn of [ENTERPRISE_USER_URN, KEYBRIDGE_USER_URN, CORE_USER_URN, CORE_GROUP_URN]) {
    if (lower.startsWith(`${urn.toLowerCase()}:`)) {
      const rest = text.slice(urn.length + 1);
      return urn.includes(":core:") ? { core: urn, rest } : { urn, rest };
    }
  }
  return { rest: text };
}

function pickInfo(
  candidates: AttributeInfo[] | undefined,
  urn: string | undefined,
  core: string | undefined,
  scope: "User" | "Group",
): AttributeInfo | undefined {
  if (core && core !== (scope === "User" ? CORE_USER_URN : CORE_GROUP_URN)) return undefined;
  const list = candidates ?? [];
  if (urn) return list.find((c) => c.extension === urn);
  return list.find((c) => !c.extension) ?? list.find((c) => c.extension);
}

/**
 * Resolves `attr`, `attr.sub`, `urn:…:attr[.sub]` in a scope, or throws 400 with `scimType`.
 * With `parent`, `text` is one sub-attribute name of the parent (inside a value filter `emails[type …]`).
 */
export function resolveAttributePath(
  text: string,
  scope: AttributeScope,
  scimType: string,
  parent?: AttributePath,
): AttributePath {
  for (const segment of text.split(/[.:]/))
    if (FORBIDDEN.has(segment.toLowerCase())) throw unknownPath(scimType, text);
  const { urn, core, rest } = parent ? { rest: text } : splitQualified(text);
  const segments = rest.split(".");
  if (segments.length > (parent ? 1 : 2) || segments.some((s) => !NAME.test(s)))
    throw unknownPath(scimType, text);
  const [first = "", second] = segments;
  const { anyName } = catalogOf();
  if (scope === "any") {
    const names = segments.map((s) => anyName.get(s.toLowerCase()));
    if (names.some((n) => n === undefined)) throw unknownPath(scimType, text);
    if (parent) return { ...parent, sub: names[0] as string };
    const path: AttributePath = { attribute: names[0] as string };
    if (urn) path.urn = path.extension = urn;
    if (names[1]) path.sub = names[1];
    return path;
  }
  const table = catalogOf()[scope];
  const attr = parent
    ? table.get(parent.attribute.toLowerCase())?.find((c) => c.extension === parent.extension)
    : pickInfo(table.get(first.toLowerCase()), urn, core, scope);
  if (!attr) throw unknownPath(scimType, text);
  const subText = parent ? first : second;
  const sub = subText === undefined ? undefined : attr.subs.get(subText.toLowerCase());
  if (subText !== undefined && sub === undefined) throw unknownPath(scimType, text);
  const path: AttributePath = parent ? { ...parent } : { attribute: attr.name };
  if (!parent && urn) path.urn = urn;
  if (!parent && attr.extension) path.extension = attr.extension;
  if (sub) path.sub = sub;
  const leaf = sub ? attr.subInfo.get(sub.toLowerCase()) : attr;
  if (leaf?.type) path.type = leaf.type;
  else delete path.type;
  if (leaf?.caseExact !== undefined) path.caseExact = leaf.caseExact;
  else delete path.caseExact;
  return path;
}
