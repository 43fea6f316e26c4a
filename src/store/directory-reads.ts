// Loads users, groups and group references by id in one round trip each; deleted ids are skipped.
import type { RedisClient } from "./create-redis-client";
import type { GroupWithMembers, StoredGroup } from "./directory-store-api";
import type { GroupRef, StoredUser } from "./directory-types";
import { loadMemberDisplays } from "./member-displays";
import { redisKeys } from "./redis-keys";
import { decodeGroup, decodeUser } from "./resource-codec";
import { TimeSlicer } from "./yield-to-event-loop";

/** Ids the store can have issued: anything with key syntax would address another key. */
export function isResourceId(id: string): boolean {
  return id.length > 0 && id.length <= 128 && !/[:{}\s\0]/.test(id);
}

async function execAll(pipeline: ReturnType<RedisClient["pipeline"]>): Promise<unknown[]> {
  const replies = (await pipeline.exec()) ?? [];
  return replies.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}

/**
 * One MGET (the keys share the tenant's hash slot): cheaper than a pipeline of GETs, even for one id.
 * Decoded in slices: a page holds up to 1,000 users, or a few of up to 1 MiB each (issue #9 item 3).
 */
export async function loadUsers(redis: RedisClient, tenant: string, ids: string[]): Promise<StoredUser[]> {
  if (ids.length === 0) return [];
  const values = await redis.mget(ids.map((id) => redisKeys.user(tenant, id)));
  const users: StoredUser[] = [];
  const slicer = new TimeSlicer();
  for (let i = 0; i < ids.length; i++) {
    const user = decodeUser(ids[i] as string, values[i]);
    if (user) users.push(user);
    await slicer.pause();
  }
  return users;
}

export async function loadGroups(
  redis: RedisClient,
  tenant: string,
  ids: string[],
  withMembers: boolean,
): Promise<GroupWithMembers[]> {
  if (ids.length === 0) return [];
  if (!withMembers) {
    const values = await redis.mget(ids.map((id) => redisKeys.group(tenant, id)));
    return ids.flatMap((id, i) => {
      const group = decodeGroup(id, values[i]);
      return group ? [{ group }] : [];
    });
  }
  const p = redis.pipeline();
  for (const id of ids) {
    p.get(redisKeys.group(tenant, id));
    p.smembers(redisKeys.groupMembers(tenant, id));
  }
  const values = await execAll(p);
  const loaded = ids.flatMap((id, i) => {
    const group = decodeGroup(id, values[i * 2] as string | null);
    return group ? [{ group, members: values[i * 2 + 1] as string[] }] : [];
  });
  const displays = await loadMemberDisplays(redis, tenant, [...new Set(loaded.flatMap((g) => g.members))]);
  return loaded.map((g) => ({ ...g, displays }));
}

export function refOf(group: StoredGroup): GroupRef {
  const ref: GroupRef = { id: group.id, displayName: group.displayName };
  if (typeof group.externalId === "string") ref.externalId = group.externalId;
  return ref;
}

/** Group references, ordered by displayName then id so snapshots compare stably. */
export async function loadGroupRefs(redis: RedisClient, tenant: string, ids: string[]): Promise<GroupRef[]> {
  const groups = await loadGroups(redis, tenant, ids, false);
  return groups
    .map(({ group }) => refOf(group))
    .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id));
}
