// Turns membership PATCH operations into one delta for store.changeMembers, so a member add or remove
// never reads or rewrites the member list (scimmy-and-bullmq.md A3; SimpleIdServer #570).
import type { MemberDelta } from "../store/directory-store-api";
import type { PatchOperation } from "./normalise-patch";
import { isPlainObject, memberIds } from "./normalise-values";
import { parseFilter } from "./scimmy-port";
import { ScimError } from "./scim-error";

/** `value eq "x"` (optionally `or`-ed) → ["x"]; anything else in a member filter is rejected. */
function idsFromFilter(filter: string): string[] {
  return parseFilter(filter).map((branch) => {
    const entries = Object.entries(branch);
    const [key, comparison] = entries[0] ?? [];
    if (entries.length !== 1 || key?.toLowerCase() !== "value" || !Array.isArray(comparison))
      throw new ScimError(400, "invalidFilter", "Member filters must be value eq.");
    if (String(comparison[0]).toLowerCase() !== "eq" || typeof comparison[1] !== "string")
      throw new ScimError(400, "invalidFilter", "Member filters must be value eq.");
    return comparison[1];
  });
}

/** Whether an operation targets the multi-valued reference list named `attribute` (members/groups). */
export function targetsList(op: PatchOperation, attribute: "members" | "groups"): boolean {
  return !op.path.extension && op.path.attribute === attribute;
}

/** Ids an operation names: the value array (or one object), or the bracket filter. */
function idsOf(op: PatchOperation): string[] {
  if (op.path.filter) return idsFromFilter(op.path.filter);
  if (op.value === undefined) return [];
  return memberIds(isPlainObject(op.value) && Array.isArray(op.value.value) ? op.value.value : op.value);
}

/**
 * Folds the operations in order into add/remove sets, or into a full replacement once a `replace`
 * (Okta's full push, scim-clients.md §2.2 Group Push step 4) or a bare `remove members` appears.
 */
export function buildMemberDelta(ops: PatchOperation[]): MemberDelta {
  const add = new Set<string>();
  const remove = new Set<string>();
  let replaceAll: Set<string> | undefined;
  for (const op of ops) {
    if (op.path.subAttribute) throw new ScimError(400, "invalidPath", "Member sub-attributes are read-only.");
    const ids = idsOf(op);
    if (op.op === "replace" && !op.path.filter) {
      replaceAll = new Set(ids);
      continue;
    }
    if (op.op === "remove" && !op.path.filter && op.value === undefined) {
      replaceAll = new Set();
      continue;
    }
    for (const id of ids) {
      const adding = op.op !== "remove";
      if (replaceAll) {
        if (adding) replaceAll.add(id);
        else replaceAll.delete(id);
      } else if (adding) {
        add.add(id);
        remove.delete(id);
      } else {
        remove.add(id);
        add.delete(id);
      }
    }
  }
  if (replaceAll) return { replaceAll: [...replaceAll] };
  const delta: MemberDelta = {};
  if (add.size > 0) delta.add = [...add];
  if (remove.size > 0) delta.remove = [...remove];
  return delta;
}

export function isEmptyDelta(delta: MemberDelta): boolean {
  return delta.replaceAll === undefined && !delta.add?.length && !delta.remove?.length;
}
