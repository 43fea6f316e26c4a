// Membership through the User `groups` attribute (SailPoint `updateGroupsViaUsers=true`,
// scim-clients.md §2.3 "Provisioning"): each affected group gets one changeMembers delta for this user.
import { isBridgeError } from "../errors/bridge-error";
import type { DirectoryStore, MemberDelta, WriteResult, StoredGroup } from "../store/directory-store-api";
import type { ChangeCollector, ScimContext } from "./scim-http";

export interface GroupMoves {
  join: string[];
  leave: string[];
}

/** The joins and leaves a membership delta on the user means, given the groups they are in now. */
export function groupMoves(delta: MemberDelta, current: string[]): GroupMoves {
  const now = new Set(current);
  if (delta.replaceAll) {
    const wanted = new Set(delta.replaceAll);
    return { join: [...wanted].filter((g) => !now.has(g)), leave: current.filter((g) => !wanted.has(g)) };
  }
  return {
    join: (delta.add ?? []).filter((g) => !now.has(g)),
    leave: (delta.remove ?? []).filter((g) => now.has(g)),
  };
}

/**
 * A group that does not exist (deleted since the IdP cached its id) is skipped, like a stale member id
 * in a group request (memberPlan in store/member-plans.ts): refusing would leave the user in the
 * groups this same request takes them out of.
 */
async function change(
  store: DirectoryStore,
  ctx: ScimContext,
  groupId: string,
  delta: MemberDelta,
): Promise<WriteResult<StoredGroup> | undefined> {
  try {
    return await store.changeMembers(ctx.tenant.id, groupId, delta, { correlationId: ctx.correlationId });
  } catch (err) {
    if (isBridgeError(err, "NotFound")) return undefined;
    throw err;
  }
}

export async function syncUserGroups(
  store: DirectoryStore,
  ctx: ScimContext,
  userId: string,
  delta: MemberDelta,
  collector: ChangeCollector,
): Promise<void> {
  const current = (await store.groupsOfUser(ctx.tenant.id, userId)).map((g) => g.id);
  const moves = groupMoves(delta, current);
  // Leaves first: each group is its own write, and a failure later on must not cost a removal.
  for (const groupId of moves.leave)
    collector.add((await change(store, ctx, groupId, { remove: [userId] }))?.changes ?? []);
  for (const groupId of moves.join)
    collector.add((await change(store, ctx, groupId, { add: [userId] }))?.changes ?? []);
}
