// The limit checks every write route runs on its body before normalising it (config scim.limits).
import { checkResourceBody, checkResourceBodyInSlices } from "./check-multi-valued";
import { checkOperationCount, checkPatchValues } from "./check-patch-limits";
import { normalisePatch, type PatchOperation } from "./normalise-patch";
import { isPlainObject } from "./normalise-values";
import type { ScimDeps } from "./scim-http";
import { validatePatchOperations } from "./validate-patch-operations";
import { YIELD_FROM_ITEMS, yieldToEventLoop } from "../store/yield-to-event-loop";

/** POST/PUT of a User or Group: multi-valued entries are objects and within the entry limit. */
export function checkBody(deps: ScimDeps, body: unknown): void {
  if (isPlainObject(body)) checkResourceBody(body, deps.config.scim.limits.multiValuedMaxEntries);
}

/** checkBody for a group POST/PUT (an Okta full push: up to 200,000 members), in slices. */
export async function checkGroupBody(deps: ScimDeps, body: unknown): Promise<void> {
  if (isPlainObject(body))
    await checkResourceBodyInSlices(body, deps.config.scim.limits.multiValuedMaxEntries);
}

/** How many values the operations carry (an operation's value array counts its entries). */
export function carriedValues(ops: PatchOperation[]): number {
  return ops.reduce((n, op) => n + (Array.isArray(op.value) ? op.value.length : 1), 0);
}

/** Operations from which a PATCH's stages are worth a yield each. */
const MANY_OPERATIONS = 100;

/**
 * A PATCH body as canonical, validated operations, each limit checked before the work it bounds. With
 * many operations (up to patchMaxOperations, each maybe a `members[value eq "…"]` filter to parse) the
 * stages are separate stretches of the event loop (issue #9 item 3).
 */
export async function boundedPatch(deps: ScimDeps, body: unknown): Promise<PatchOperation[]> {
  const limits = deps.config.scim.limits;
  checkOperationCount(body, limits.patchMaxOperations);
  const ops = normalisePatch(body);
  // One operation may carry a long value array (10,000 members added at once) and cost as much.
  const many = ops.length >= MANY_OPERATIONS || carriedValues(ops) >= YIELD_FROM_ITEMS;
  if (many) await yieldToEventLoop();
  checkPatchValues(ops, limits);
  if (many) await yieldToEventLoop();
  validatePatchOperations(ops);
  if (many) await yieldToEventLoop();
  return ops;
}
