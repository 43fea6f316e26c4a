// The one door to SCIMMY (pinned 1.3.5): schema coercion, filter parsing, PatchOp validation and the
// schema documents. Nothing else in keybridge imports "scimmy", so a swap or patch stays local.
import SCIMMY from "scimmy";
import { DEFAULT_SCIM_LIMITS, type ScimLimits } from "../config/config-schema";
import {
  CORE_GROUP_URN,
  CORE_USER_URN,
  ENTERPRISE_USER_URN,
  KEYBRIDGE_USER_URN,
} from "../store/directory-types";
import {
  type CompiledSchema,
  coerceCompiled,
  compileDefinition,
  type DefinitionLike,
  NOT_SURE,
} from "./compiled-coercion";
import type { AttributeScope } from "./attribute-catalog";
import { checkCalendarDates } from "./check-calendar-dates";
import { filterToDnf, type ParsedFilter } from "./filter-dnf";
import { parseFilterTree } from "./filter-parser";
import { normaliseHrDates } from "./hr-dates";
import { ScimError } from "./scim-error";

export type { ParsedFilter };

const PLACEHOLDER_URN = "urn:ietf:params:scim:schemas:extension:keybridgeaccess:2.0:User";
let prepared = false;
let keybridgeDefinition: Definition | undefined;

/**
 * Mutates SCIMMY's process-wide schema singletons once: declares the enterprise and keybridge
 * extensions and removes canonical-value lists that real IdPs violate (Entra's
 * "WindowsAzureActiveDirectoryRole" role type, "Work" email types, Okta/Entra lower-case "user" member type).
 */
export function prepareScimmy(): void {
  if (prepared) return;
  prepared = true;
  const { Attribute, SchemaDefinition } = SCIMMY.Types;
  // SCIMMY 1.3.5 only accepts urn:ietf:params:scim:schemas: ids (relaxed upstream in #94, unreleased);
  // the id is a plain property, so we construct with a placeholder and set ours.
  const keybridge = new SchemaDefinition(
    "KeybridgeAccess",
    PLACEHOLDER_URN,
    "keybridge access attributes: HR dates and site that bound a person's physical access",
    [
      new Attribute("string", "site", { description: "Site code(s) the person works at." }),
      // Strings, not dateTime: a date-only HR date must survive as sent (hr-dates.ts validates both forms).
      new Attribute("string", "accessValidFrom", {
        description:
          "Access must not start before this: an ISO 8601 instant, or a date (YYYY-MM-DD) meaning the start of that day in the key system's time zone.",
      }),
      new Attribute("string", "accessValidUntil", {
        description:
          "Access must end at this: an ISO 8601 instant, or a date (YYYY-MM-DD) meaning the end of that day in the key system's time zone.",
      }),
    ],
  );
  (keybridge as { id: string }).id = KEYBRIDGE_USER_URN;
  keybridgeDefinition = keybridge;
  // employeeType is not in RFC 7643 §4.3, but Entra, Okta and SailPoint all map it into the enterprise
  // extension (`…:enterprise:2.0:User:employeeType`) and the example mappings match on it.
  SCIMMY.Schemas.EnterpriseUser.definition.extend([
    new Attribute("string", "employeeType", {
      description: "Kind of employment, e.g. Employee, Contractor, Apprentice.",
    }),
  ]);
  // extend() accepts definitions at runtime; its .d.ts only names Schema classes.
  type Extension = Parameters<typeof SCIMMY.Schemas.User.extend>[0];
  SCIMMY.Schemas.User.extend(SCIMMY.Schemas.EnterpriseUser.definition as unknown as Extension, false);
  SCIMMY.Schemas.User.extend(keybridge as unknown as Extension, false);
  relaxType(SCIMMY.Schemas.User.definition, [
    "emails",
    "phoneNumbers",
    "addresses",
    "roles",
    "ims",
    "photos",
  ]);
  relaxType(SCIMMY.Schemas.Group.definition, ["members"]);
}

type Definition = InstanceType<typeof SCIMMY.Types.SchemaDefinition>;

function relaxType(definition: Definition, attributes: string[]): void {
  for (const name of attributes) {
    const attribute = definition.attribute(name);
    for (const sub of attribute.subAttributes ?? []) {
      if (sub.name === "type") (sub.config as { canonicalValues: unknown }).canonicalValues = false;
    }
  }
}

function asScimError(err: unknown, scimType: string): ScimError {
  const status = (err as { status?: unknown }).status;
  const type = (err as { scimType?: unknown }).scimType;
  const detail = err instanceof Error ? err.message : "invalid request";
  if (typeof status === "number" && status >= 400 && status < 500)
    return new ScimError(status, typeof type === "string" ? type : scimType, detail);
  return new ScimError(400, scimType, detail);
}

const compiled = new Map<Definition, CompiledSchema>();

/** Compiled once, on first use, after prepareScimmy() has extended the definitions (they never change after). */
function compiledSchema(definition: Definition): CompiledSchema {
  let schema = compiled.get(definition);
  if (!schema) {
    schema = compileDefinition(definition as unknown as DefinitionLike);
    compiled.set(definition, schema);
  }
  return schema;
}

/**
 * Coerces with the compiled copy of SCIMMY's rules when it is sure (compiled-coercion.ts), else through
 * the schema definition, not `new SCIMMY.Schemas.User(...)`: the Schema constructor
 * builds accessors for every attribute and then coerces each value a second time through them — twice the
 * work for the same result (test/scim/scimmy-coercion.test.ts compares both on every fixture body).
 */
function coerceWith(definition: Definition, body: Record<string, unknown>): Record<string, unknown> {
  prepareScimmy();
  checkCalendarDates(compiledSchema(definition), body);
  const fast = coerceCompiled(compiledSchema(definition), body);
  if (fast !== NOT_SURE) {
    finishCoercion(fast);
    return fast;
  }
  try {
    const out = JSON.parse(JSON.stringify(definition.coerce(body, "in"))) as Record<string, unknown>;
    delete out.meta;
    finishCoercion(out);
    return out;
  } catch (err) {
    throw asScimError(err, "invalidValue");
  }
}

const isEmptyValue = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  (typeof value === "object" && Object.values(value as object).every(isEmptyValue));

/** After coercion, on either path: HR dates in their stored form, empty extensions dropped. */
function finishCoercion(resource: Record<string, unknown>): void {
  normaliseHrDates(resource[KEYBRIDGE_USER_URN]);
  dropEmptyExtensions(resource);
}

/** What the Schema accessors did on top of coercion: an extension without values is left out. */
function dropEmptyExtensions(resource: Record<string, unknown>): void {
  for (const urn of [ENTERPRISE_USER_URN, KEYBRIDGE_USER_URN]) {
    if (!(urn in resource) || !isEmptyValue(resource[urn])) continue;
    delete resource[urn];
    if (Array.isArray(resource.schemas)) resource.schemas = resource.schemas.filter((id) => id !== urn);
  }
}

/** Validates and coerces a User body ("in" direction): unknown attributes are dropped, types checked. */
export function coerceUser(body: Record<string, unknown>): Record<string, unknown> {
  return coerceWith(SCIMMY.Schemas.User.definition, body);
}

/** Validates and coerces a member-less Group body. */
export function coerceGroup(body: Record<string, unknown>): Record<string, unknown> {
  return coerceWith(SCIMMY.Schemas.Group.definition, body);
}

export interface ParseFilterOptions {
  /** Defaults to the config schema's defaults (PATCH value filters, whose callers have no config). */
  limits?: Pick<ScimLimits, "filterMaxLength" | "filterMaxTerms">;
  /** Schema the attribute paths must exist in; "any" (default) accepts any schema's attribute names. */
  scope?: AttributeScope;
}

/**
 * Parses a SCIM filter (RFC 7644 §3.4.2.2) into SCIMMY's DNF shape; any failure is 400 invalidFilter.
 * SCIMMY's own parser is no longer on the request path: it builds objects from unvalidated attribute
 * paths (`__proto__.x eq "1"` wrote onto Object.prototype), grows super-linearly with the filter's
 * length and rejects nested parentheses. filter-parser.ts bounds the work and resolves every path
 * against the schemas first; test/scim/filter-parser.test.ts pins its output to SCIMMY's.
 */
export function parseFilter(expression: string, options: ParseFilterOptions = {}): ParsedFilter {
  prepareScimmy();
  const limits = options.limits ?? DEFAULT_SCIM_LIMITS;
  const tree = parseFilterTree(
    expression,
    { maxLength: limits.filterMaxLength, maxTerms: limits.filterMaxTerms },
    options.scope ?? "any",
  );
  return filterToDnf(tree, limits.filterMaxTerms);
}

/** Checks a PatchOp message (RFC 7644 §3.5.2) after dialect normalisation; throws 400 on violations. */
export function validatePatch(message: Record<string, unknown>): void {
  prepareScimmy();
  try {
    new SCIMMY.Messages.PatchOp(
      message as unknown as ConstructorParameters<typeof SCIMMY.Messages.PatchOp>[0],
    );
  } catch (err) {
    throw asScimError(err, "invalidSyntax");
  }
}

export interface SchemaDocuments {
  user: Record<string, unknown>;
  group: Record<string, unknown>;
  enterprise: Record<string, unknown>;
  keybridge: Record<string, unknown>;
}

/** The /Schemas documents (RFC 7643 §7), rendered once; `location` is filled per request. */
export function describeSchemas(): SchemaDocuments {
  prepareScimmy();
  const plain = (d: Definition) => {
    const doc = JSON.parse(JSON.stringify(d.describe())) as Record<string, unknown>;
    delete doc.meta;
    return doc;
  };
  // describe() of User folds extensions in; list them as their own schemas instead (RFC 7643 §7).
  const user = plain(SCIMMY.Schemas.User.definition);
  const attributes = (user.attributes as { name: string }[]).filter((a) => !a.name.startsWith("urn:"));
  const enterprise = plain(SCIMMY.Schemas.EnterpriseUser.definition);
  const keybridge = plain(keybridgeDefinition as Definition);
  return {
    user: { ...user, id: CORE_USER_URN, attributes },
    group: { ...plain(SCIMMY.Schemas.Group.definition), id: CORE_GROUP_URN },
    enterprise: { ...enterprise, id: ENTERPRISE_USER_URN },
    keybridge: { ...keybridge, id: KEYBRIDGE_USER_URN },
  };
}
