// The one door to SCIMMY (pinned 1.3.5): schema coercion, filter parsing, PatchOp validation and the
// schema documents. Nothing else in keybridge imports "scimmy", so a swap or patch stays local.
import SCIMMY from "scimmy";
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
import { checkCalendarDates } from "./check-calendar-dates";
import { ScimError } from "./scim-error";
import { type ParsedFilter, parseSimpleFilter } from "./simple-filter";

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
      new Attribute("dateTime", "accessValidFrom", { description: "Access must not start before this." }),
      new Attribute("dateTime", "accessValidUntil", { description: "Access must end at this instant." }),
    ],
  );
  (keybridge as { id: string }).id = KEYBRIDGE_USER_URN;
  keybridgeDefinition = keybridge;
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
    dropEmptyExtensions(fast);
    return fast;
  }
  try {
    const out = JSON.parse(JSON.stringify(definition.coerce(body, "in"))) as Record<string, unknown>;
    delete out.meta;
    dropEmptyExtensions(out);
    return out;
  } catch (err) {
    throw asScimError(err, "invalidValue");
  }
}

const isEmptyValue = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  (typeof value === "object" && Object.values(value as object).every(isEmptyValue));

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

/**
 * Parses a SCIM filter (RFC 7644 §3.4.2.2) into DNF; any parse failure is 400 invalidFilter. The common
 * `attr eq "value"` shapes skip SCIMMY's tokenizer (simple-filter.ts); the output is the same.
 */
export function parseFilter(expression: string): ParsedFilter {
  const simple = parseSimpleFilter(expression);
  if (simple) return simple;
  try {
    return JSON.parse(JSON.stringify(new SCIMMY.Types.Filter(expression))) as ParsedFilter;
  } catch (err) {
    throw new ScimError(400, "invalidFilter", err instanceof Error ? err.message : "invalid filter");
  }
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
