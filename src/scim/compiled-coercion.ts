// SCIMMY's inbound coercion (SchemaDefinition.coerce(body, "in")) compiled once from the same schema
// definitions into plain loops, for the bodies IdPs actually send. It only ever accepts: anything it is
// not certain SCIMMY would accept in exactly this shape returns NOT_SURE, and the caller asks SCIMMY,
// which then also words the error. SCIMMY's own path costs ~15% of a POST or PATCH (per-value accessors,
// proxies, frozen objects); test/scim/scimmy-coercion.test.ts checks both agree on every fixture body
// and on thousands of mutated ones.

import { isPlainObject } from "./normalise-values";

/** The parts of a SCIMMY Attribute / SchemaDefinition this compiler reads (duck-typed). */
export interface AttributeLike {
  name: string;
  type: string;
  config: {
    multiValued?: boolean;
    required?: boolean;
    direction?: string;
    returned?: boolean | string;
    canonicalValues?: unknown;
  };
  subAttributes?: AttributeLike[];
}

export interface DefinitionLike {
  id: string;
  attributes: Array<AttributeLike | DefinitionLike>;
}

type Json = Record<string, unknown>;

export const NOT_SURE = Symbol("not sure");
type Result = unknown | typeof NOT_SURE;

interface CompiledAttribute {
  name: string;
  type: string;
  multiValued: boolean;
  required: boolean;
  canonical?: unknown[];
  /** Sub-attributes by lower-case name; only for complex. */
  sub?: Map<string, CompiledAttribute>;
}

export interface CompiledSchema {
  id: string;
  /** Inbound attributes in definition order (output order), without `schemas`, `meta` and `id`. */
  attributes: CompiledAttribute[];
  extensions: CompiledSchema[];
}

const isDefinition = (a: AttributeLike | DefinitionLike): a is DefinitionLike => "attributes" in a;
/** SCIMMY treats a Date as a dateTime, not as a complex value. */
const isComplexValue = (v: unknown): v is Json => isPlainObject(v) && !(v instanceof Date);
const inbound = (a: AttributeLike) => a.config.direction === "in" || a.config.direction === "both";

function compileAttribute(a: AttributeLike): CompiledAttribute {
  const compiled: CompiledAttribute = {
    name: a.name,
    type: a.type,
    multiValued: a.config.multiValued === true,
    required: a.config.required === true,
  };
  if (Array.isArray(a.config.canonicalValues)) compiled.canonical = a.config.canonicalValues;
  if (a.type === "complex") {
    compiled.sub = new Map();
    for (const s of a.subAttributes ?? []) {
      // Outbound-only and never-returned sub-attributes never appear in an inbound result.
      if (!inbound(s) || s.config.returned === false || s.config.returned === "never") continue;
      compiled.sub.set(s.name.toLowerCase(), compileAttribute(s));
    }
  }
  return compiled;
}

export function compileDefinition(definition: DefinitionLike): CompiledSchema {
  const attributes: CompiledAttribute[] = [];
  const extensions: CompiledSchema[] = [];
  for (const a of definition.attributes) {
    if (isDefinition(a)) extensions.push(compileDefinition(a));
    else if (inbound(a) && a.name !== "schemas" && a.name !== "meta") attributes.push(compileAttribute(a));
  }
  return { id: definition.id, attributes, extensions };
}

function scalar(attribute: CompiledAttribute, value: unknown): Result {
  switch (attribute.type) {
    case "string":
      return typeof value === "string" ? value : NOT_SURE;
    case "boolean":
      return typeof value === "boolean" ? value : NOT_SURE;
    case "dateTime": {
      if (typeof value !== "string") return NOT_SURE;
      const date = new Date(value);
      if (Number.isNaN(date.getTime())) return NOT_SURE;
      const iso = date.toISOString();
      return /^\d{4}-/.test(iso) ? iso : NOT_SURE; // SCIMMY rejects years it cannot print as YYYY
    }
    default:
      return NOT_SURE; // reference, binary, integer, decimal: rare in IdP bodies; SCIMMY decides
  }
}

function complexValue(attribute: CompiledAttribute, value: unknown): Result {
  if (!isComplexValue(value)) return NOT_SURE;
  const out: Json = {};
  for (const key of Object.keys(value)) {
    const sub = attribute.sub?.get(key.toLowerCase());
    if (!sub) continue; // SCIMMY drops undeclared sub-attributes silently
    const coerced = coerceAttribute(sub, value[key]);
    if (coerced === NOT_SURE) return NOT_SURE;
    if (coerced === undefined) delete out[sub.name];
    else out[sub.name] = coerced;
  }
  for (const sub of attribute.sub?.values() ?? [])
    if (sub.required && out[sub.name] === undefined) return NOT_SURE;
  return out;
}

function oneValue(attribute: CompiledAttribute, value: unknown): Result {
  return attribute.type === "complex" ? complexValue(attribute, value) : scalar(attribute, value);
}

function coerceAttribute(attribute: CompiledAttribute, value: unknown): Result {
  if (value === undefined || value === null) {
    // SCIMMY: a missing required value, a null collection and a null canonical value are all errors.
    if (attribute.required || (value === null && (attribute.multiValued || attribute.canonical)))
      return NOT_SURE;
    return undefined;
  }
  if (attribute.canonical) {
    const values = Array.isArray(value) ? value : [value];
    if (!values.every((v) => attribute.canonical?.includes(v))) return NOT_SURE;
  }
  if (!attribute.multiValued) return Array.isArray(value) ? NOT_SURE : oneValue(attribute, value);
  if (!Array.isArray(value)) return NOT_SURE;
  const out: unknown[] = [];
  for (const v of value) {
    const coerced = oneValue(attribute, v);
    if (coerced === NOT_SURE) return NOT_SURE;
    out.push(coerced);
  }
  return out;
}

/** Lower-cased keys, later duplicates winning, as SCIMMY reads a body. */
function byLowerCase(data: Json): Map<string, unknown> {
  const source = new Map<string, unknown>();
  for (const key of Object.keys(data)) source.set(key.toLowerCase(), data[key]);
  return source;
}

function coerceAttributes(schema: CompiledSchema, source: Map<string, unknown>, into: Json): boolean {
  for (const attribute of schema.attributes) {
    const coerced = coerceAttribute(attribute, source.get(attribute.name.toLowerCase()));
    if (coerced === NOT_SURE) return false;
    if (coerced !== undefined) into[attribute.name] = coerced;
  }
  return true;
}

/** The inbound coercion of `data`, or NOT_SURE when SCIMMY must decide. */
export function coerceCompiled(schema: CompiledSchema, data: Json): Json | typeof NOT_SURE {
  const lowerKeys = Object.keys(data).map((k) => k.toLowerCase());
  // Flat namespaced keys ("urn:…:User:department") merge into extensions in ways left to SCIMMY.
  for (const ext of schema.extensions) {
    const prefix = `${ext.id.toLowerCase()}:`;
    if (lowerKeys.some((k) => k.startsWith(prefix))) return NOT_SURE;
  }
  const declared = data.schemas;
  if (declared !== undefined && !Array.isArray(declared)) return NOT_SURE;
  const schemas = new Set<unknown>([schema.id]);
  for (const ext of schema.extensions) if (data[ext.id] !== undefined) schemas.add(ext.id);
  for (const s of declared ?? []) schemas.add(s);
  for (const s of schemas)
    if (typeof s !== "string" || !(URL.canParse(s) || s.startsWith("/"))) return NOT_SURE;

  const out: Json = { schemas: [...schemas] };
  const source = byLowerCase(data);
  if (!coerceAttributes(schema, source, out)) return NOT_SURE;
  for (const ext of schema.extensions) {
    const value = source.get(ext.id.toLowerCase());
    if (value === undefined || value === null) continue;
    if (!isComplexValue(value)) return NOT_SURE;
    if (Object.keys(value).length === 0) continue;
    const extension: Json = {};
    if (!coerceAttributes(ext, byLowerCase(value), extension)) return NOT_SURE;
    out[ext.id] = extension;
  }
  return out;
}
