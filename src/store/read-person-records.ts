// Reads the stored parts of many persons of one tenant in one MULTI, for a full-resync batch
// (issue #13 item 2): getPerson sends one MULTI per person, so a batch of 100 was 100 socket writes
// and 100 replies to take apart; this is one of each. Every key carries the tenant's hash tag, so the
// MULTI stays in one Redis Cluster slot.
import type { RedisClient } from "./create-redis-client";
import { isResourceId } from "./directory-reads";
import type { GroupRef, StoredUser } from "./directory-types";
import { redisKeys } from "./redis-keys";
import { decodeUser } from "./resource-codec";

/** What getPerson's MULTI reads for one person, before group names and signal holds are resolved. */
export interface PersonRecord {
  user: StoredUser;
  groupIds: string[];
  generation: number;
  holdFields: Record<string, string>;
}

const COMMANDS_PER_PERSON = 4;

/**
 * One record per id, in order; null for an id that names no user (deleted, never created, or not an
 * id the store issues). As in getPerson, each person's generation is read in the same transaction as
 * their data, so it is never newer than what was read.
 */
export async function readPersonRecords(
  redis: RedisClient,
  tenant: string,
  ids: string[],
): Promise<Array<PersonRecord | null>> {
  const valid = ids.filter(isResourceId);
  if (valid.length === 0) return ids.map(() => null);
  const multi = redis.multi();
  for (const id of valid) {
    multi
      .get(redisKeys.user(tenant, id))
      .smembers(redisKeys.userGroups(tenant, id))
      .get(redisKeys.personGeneration(tenant, id))
      .hgetall(redisKeys.signalHold(tenant, id));
  }
  const replies = ((await multi.exec()) ?? []).map(([err, value]) => {
    if (err) throw err;
    return value;
  });
  const byId = new Map<string, PersonRecord | null>();
  valid.forEach((id, i) => {
    const at = i * COMMANDS_PER_PERSON;
    const user = decodeUser(id, replies[at] as string | null);
    byId.set(
      id,
      user && {
        user,
        groupIds: replies[at + 1] as string[],
        generation: Number(replies[at + 2] ?? 0),
        holdFields: (replies[at + 3] ?? {}) as Record<string, string>,
      },
    );
  });
  return ids.map((id) => byId.get(id) ?? null);
}

/** A person's group references from the batch's groups, in loadGroupRefs' order; deleted groups left out. */
export function groupRefsOf(groupIds: string[], groups: ReadonlyMap<string, GroupRef>): GroupRef[] {
  return groupIds
    .flatMap((id) => {
      const ref = groups.get(id);
      return ref ? [ref] : [];
    })
    .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id));
}
