// Turns membership PATCH operations into one delta for store.changeMembers, so a member add or remove
// never reads or rewrites the member list (scimmy-and-bullmq.md A3; SimpleIdServer #570).
import type { MemberDelta } from "../store/directory-store-api";
import type { PatchOperation } from "./normalise-patch";
import { isPlainObject, memberIds } from "./normalise-values";
import { parseFilter } from "./scimmy-port";
import { ScimError } from "./scim-error";
import { TimeSlicer } from "../store/yield-to-event-loop";

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

/** Folds operations one at a time into add/remove sets, or a full replacement (see buildMemberDelta). */
class DeltaFold {
  private readonly add = new Set<string>();
  private readonly remove = new Set<string>();
  private replaceAll: Set<string> | undefined;

  fold(op: PatchOperation): void {
    if (op.path.subAttribute) throw new ScimError(400, "invalidPath", "Member sub-attributes are read-only.");
    const ids = idsOf(op);
    if (op.op === "replace" && !op.path.filter) {
      this.replaceAll = new Set(ids);
      return;
    }
    if (op.op === "remove" && !op.path.filter && op.value === undefined) {
      this.replaceAll = new Set();
      return;
    }
    const adding = op.op !== "remove";
    for (const id of ids) {
      if (this.replaceAll) {
        if (adding) this.replaceAll.add(id);
        else this.replaceAll.delete(id);
      } else if (adding) {
        this.add.add(id);
        this.remove.delete(id);
      } else {
        this.remove.add(id);
        this.add.delete(id);
      }
    }
  }

  result(): MemberDelta {
    if (this.replaceAll) return { replaceAll: [...this.replaceAll] };
    const delta: MemberDelta = {};
    if (this.add.size > 0) delta.add = [...this.add];
    if (this.remove.size > 0) delta.remove = [...this.remove];
    return delta;
  }
}

/**
 * Folds the operations in order into add/remove sets, or into a full replacement once a `replace`
 * (Okta's full push, scim-clients.md §2.2 Group Push step 4) or a bare `remove members` appears.
 */
export function buildMemberDelta(ops: PatchOperation[]): MemberDelta {
  const delta = new DeltaFold();
  for (const op of ops) delta.fold(op);
  return delta.result();
}

/**
 * buildMemberDelta in slices: up to patchMaxOperations `members[value eq "…"]` filters each parsed
 * against the schema took 20-50 ms in one stretch (issue #9 item 3). Same delta, same refusals.
 */
export async function buildMemberDeltaInSlices(ops: PatchOperation[]): Promise<MemberDelta> {
  const delta = new DeltaFold();
  const slicer = new TimeSlicer();
  for (const op of ops) {
    delta.fold(op);
    await slicer.pause();
  }
  return delta.result();
}

export function isEmptyDelta(delta: MemberDelta): boolean {
  return delta.replaceAll === undefined && !delta.add?.length && !delta.remove?.length;
}
