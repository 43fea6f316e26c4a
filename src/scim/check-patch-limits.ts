// Bounds the work of one PATCH request (ARCHITECTURE §3 "Hostile input"): the number of operations
// before any is normalised, then the shape and size of multi-valued values and the member values.
import type { ScimLimits } from "../config/config-schema";
import { checkMultiValued } from "./check-multi-valued";
import type { PatchOperation } from "./normalise-patch";
import { isPlainObject } from "./normalise-values";
import { ScimError } from "./scim-error";

export const DETAIL_TOO_MANY_OPERATIONS = "Too many PATCH operations in one request.";
export const DETAIL_TOO_MANY_MEMBERS = "Too many member values in one PATCH request.";

/** Checked on the raw body, before normalising expands path-less values into more operations. */
export function checkOperationCount(body: unknown, max: number): void {
  if (!isPlainObject(body)) return;
  const operations = body.Operations ?? body.operations;
  if (Array.isArray(operations) && operations.length > max)
    throw new ScimError(400, "invalidValue", `${DETAIL_TOO_MANY_OPERATIONS} (at most ${max})`);
}

const MEMBER_LISTS = new Set(["members", "groups"]);

/** How many member values an operation carries: Entra's `{value:[…]}` wrapper included. */
function memberValues(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  if (isPlainObject(value) && Array.isArray(value.value)) return value.value.length;
  return value === undefined || value === null ? 0 : 1;
}

/**
 * Every operation on a whole multi-valued attribute (no value filter, no sub-attribute) carries entries
 * that must be objects (strings for memberships and roles), at most multiValuedMaxEntries of them; member
 * values over all operations are capped at patchMaxMembers.
 */
export function checkPatchValues(ops: PatchOperation[], limits: ScimLimits): void {
  let members = 0;
  for (const op of ops) {
    if (op.path.extension || op.path.filter || op.path.subAttribute || op.value === undefined) continue;
    const name = op.path.attribute;
    if (MEMBER_LISTS.has(name)) members += memberValues(op.value);
    const entries = Array.isArray(op.value) ? op.value : op.value === null ? undefined : [op.value];
    if (entries) checkMultiValued(name, entries, limits.multiValuedMaxEntries);
  }
  if (members > limits.patchMaxMembers)
    throw new ScimError(
      400,
      "invalidValue",
      `${DETAIL_TOO_MANY_MEMBERS} (at most ${limits.patchMaxMembers})`,
    );
}
