// The member plans a group save applies: a PATCH delta, a full replacement diffed against the current
// list, and the id check. A full replacement can be an Okta full push (200,000 ids), so those steps run
// in slices (issue #9 item 3).
import { BridgeError } from "../errors/bridge-error";
import { isResourceId } from "./directory-reads";
import type { MemberPlan } from "./save-plan";
import { unique } from "./store-context";
import { MSG_MALFORMED_MEMBER } from "./write-outcome";
import { forEachInSlices, TimeSlicer } from "./yield-to-event-loop";

/**
 * The member plan for an add/remove delta. An id both added and removed ends up a member.
 *
 * An added id that names no user of the tenant (deleted since the IdP cached it, or never ours) is
 * skipped by the save script, not refused: PATCH and PUT are atomic (RFC 7644 §3.5.2, RFC 5789 §2),
 * so refusing the request would also refuse the removals it carries, the person losing membership
 * would keep access, and Entra would retry the same request every cycle until it quarantines the job
 * (scim-clients.md §2.1). Skipping grants nothing to anyone, and our ids are never reused, so it is
 * the same as the request without that id. Malformed ids (isResourceId) stay InvalidValue: they can
 * only come from a broken client and must not reach a Redis key.
 */
export function memberPlan(delta: { add?: string[]; remove?: string[] }): MemberPlan {
  assertMemberIds(delta.add ?? []);
  const add = unique(delta.add ?? []);
  // A Set, not add.includes: 10,000 adds and 10,000 removes would otherwise be 10^8 comparisons.
  const adding = new Set(add);
  const remove = unique(delta.remove ?? []).filter((id) => !adding.has(id));
  return { add, remove };
}

/**
 * memberPlan in slices, same plan: a PATCH may add and remove 10,000 members each, and checking,
 * de-duplicating and diffing them took ~10 ms in one stretch (issue #9 item 3).
 */
export async function memberPlanInSlices(delta: { add?: string[]; remove?: string[] }): Promise<MemberPlan> {
  const slicer = new TimeSlicer();
  await assertMemberIdsInSlices(delta.add ?? [], slicer);
  // A Set keeps first-seen order, as unique() does.
  const adding = new Set<string>();
  await forEachInSlices(delta.add ?? [], (id) => adding.add(id), slicer);
  const removing = new Set<string>();
  await forEachInSlices(
    delta.remove ?? [],
    (id) => {
      if (!adding.has(id)) removing.add(id);
    },
    slicer,
  );
  return { add: [...adding], remove: [...removing] };
}

/**
 * A full replacement (PUT, Okta's full push) as the delta against the members read together with the
 * version; the compare-and-set on that version guarantees the set did not change in between. An
 * unchanged list then costs no write at all.
 */
export async function replacementPlan(current: string[], wanted: string[]): Promise<MemberPlan> {
  const slicer = new TimeSlicer();
  const have = new Set<string>();
  await forEachInSlices(current, (id) => have.add(id), slicer);
  const want = new Set<string>();
  const add: string[] = [];
  await forEachInSlices(
    wanted,
    (id) => {
      if (!want.has(id) && !have.has(id)) add.push(id);
      want.add(id);
    },
    slicer,
  );
  const remove: string[] = [];
  await forEachInSlices(
    current,
    (id) => {
      if (!want.has(id)) remove.push(id);
    },
    slicer,
  );
  return { add, remove };
}

export function assertMemberIds(ids: string[]): void {
  if (ids.some((id) => !isResourceId(id))) throw new BridgeError("InvalidValue", MSG_MALFORMED_MEMBER);
}

/** assertMemberIds for a list as long as an Okta full push, in slices. */
export async function assertMemberIdsInSlices(ids: string[], slicer = new TimeSlicer()): Promise<void> {
  await forEachInSlices(
    ids,
    (id) => {
      if (!isResourceId(id)) throw new BridgeError("InvalidValue", MSG_MALFORMED_MEMBER);
    },
    slicer,
  );
}
