// The limit checks every write route runs on its body before normalising it (config scim.limits).
import { checkResourceBody } from "./check-multi-valued";
import { checkOperationCount, checkPatchValues } from "./check-patch-limits";
import { normalisePatch, type PatchOperation } from "./normalise-patch";
import { isPlainObject } from "./normalise-values";
import type { ScimDeps } from "./scim-http";
import { validatePatchOperations } from "./validate-patch-operations";

/** POST/PUT of a User or Group: multi-valued entries are objects and within the entry limit. */
export function checkBody(deps: ScimDeps, body: unknown): void {
  if (isPlainObject(body)) checkResourceBody(body, deps.config.scim.limits.multiValuedMaxEntries);
}

/** A PATCH body as canonical, validated operations, each limit checked before the work it bounds. */
export function boundedPatch(deps: ScimDeps, body: unknown): PatchOperation[] {
  const limits = deps.config.scim.limits;
  checkOperationCount(body, limits.patchMaxOperations);
  const ops = normalisePatch(body);
  checkPatchValues(ops, limits);
  validatePatchOperations(ops);
  return ops;
}
