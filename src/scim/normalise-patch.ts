// Turns any IdP's PatchOp body into one canonical list of path operations (scim-clients.md §2, §5.1):
// lower-case ops, Replace/Add without path split per key (dotted and URN-qualified keys), value repairs.
import { ScimError } from "./scim-error";
import {
  coerceBooleans,
  isPlainObject,
  normaliseManager,
  normaliseRoles,
  toBoolean,
} from "./normalise-values";
import { EXTENSION_URNS, leafName, type PatchPath, parsePatchPath, splitUrn } from "./patch-path";

export const PATCH_OP_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

export type PatchOpName = "add" | "replace" | "remove";

export interface PatchOperation {
  op: PatchOpName;
  path: PatchPath;
  /** The path as sent, for error messages and SCIMMY validation. */
  rawPath: string;
  value?: unknown;
}

/** Attributes a client may echo in a path-less value but never change (Okta sends `id`). */
const IGNORED_KEYS = new Set(["id", "meta", "schemas"]);

function opName(op: unknown, index: number): PatchOpName {
  const name = typeof op === "string" ? op.toLowerCase() : "";
  // Entra sends "Add"/"Replace"/"Remove" without aadOptscim062020 (scim-clients.md §2.1).
  if (name === "add" || name === "replace" || name === "remove") return name;
  throw new ScimError(400, "invalidSyntax", `Invalid op in operation ${index + 1}.`);
}

/** Repairs a value by the attribute it targets. */
export function repairValue(path: PatchPath, value: unknown): unknown {
  const leaf = leafName(path).toLowerCase();
  if (leaf === "active" || leaf === "primary") return toBoolean(value);
  if (path.attribute === "manager" && !path.subAttribute) return normaliseManager(value);
  if (path.attribute === "roles" && !path.subAttribute && !path.filter) return normaliseRoles(value);
  // Member lists carry no booleans, and memberIds() normalises them; copying 10,000s of entries here
  // only added to the event-loop block of a full membership push.
  if ((path.attribute === "members" || path.attribute === "groups") && !path.extension) return value;
  return coerceBooleans(value);
}

/** Expands a path-less value object into one operation per key (RFC 7644 §3.5.2.1/.3, Entra dotted keys). */
function expandPathless(op: PatchOpName, value: unknown, index: number): PatchOperation[] {
  if (!isPlainObject(value))
    throw new ScimError(400, "invalidValue", `Operation ${index + 1} without path needs an object value.`);
  const out: PatchOperation[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (IGNORED_KEYS.has(key.toLowerCase())) continue;
    const { extension, rest } = splitUrn(key);
    if (extension && rest === "") {
      // A whole extension object: one operation per extension attribute.
      if (!isPlainObject(v)) continue;
      for (const [sub, subValue] of Object.entries(v)) out.push(pathOp(op, `${extension}:${sub}`, subValue));
      continue;
    }
    out.push(pathOp(op, key, v));
  }
  return out;
}

function pathOp(op: PatchOpName, rawPath: string, value: unknown): PatchOperation {
  const path = parsePatchPath(rawPath);
  return { op, path, rawPath, value: repairValue(path, value) };
}

export function normalisePatch(body: unknown): PatchOperation[] {
  if (!isPlainObject(body)) throw new ScimError(400, "invalidSyntax", "PatchOp body must be an object.");
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(PATCH_OP_URN))
    throw new ScimError(400, "invalidSyntax", "PatchOp body must name the PatchOp schema.");
  const operations = body.Operations ?? body.operations;
  if (!Array.isArray(operations) || operations.length === 0)
    throw new ScimError(400, "invalidSyntax", "PatchOp body needs at least one operation.");
  const out: PatchOperation[] = [];
  operations.forEach((raw: unknown, index: number) => {
    if (!isPlainObject(raw))
      throw new ScimError(400, "invalidSyntax", `Operation ${index + 1} is not an object.`);
    const op = opName(raw.op, index);
    const path = typeof raw.path === "string" && raw.path.trim() !== "" ? raw.path : undefined;
    if (path === undefined) {
      if (op === "remove")
        throw new ScimError(400, "noTarget", `Remove operation ${index + 1} needs a path.`);
      out.push(...expandPathless(op, raw.value, index));
      return;
    }
    if (op !== "remove" && !("value" in raw))
      throw new ScimError(400, "invalidValue", `Operation ${index + 1} needs a value.`);
    out.push(pathOp(op, path, raw.value));
  });
  return out;
}

/** Whether a path-less key names an extension URN we know (used by tests and by PUT bodies). */
export function isExtensionUrn(key: string): boolean {
  return EXTENSION_URNS.some((urn) => urn.toLowerCase() === key.toLowerCase());
}
