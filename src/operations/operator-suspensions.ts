// Operator suspensions: an emergency revoke (or a lost key) marks a person so the mappings desire
// nothing for them in one, several or all key systems until an operator lifts it. Kept apart from the
// IdP's `active` (the IdP may still say active) and from signal suspensions (src/signals/).
import type { RedisClient } from "../store/create-redis-client";
import { redisKeys } from "../store/redis-keys";

/** The field of a suspension that covers every key system. */
export const ALL_SYSTEMS = "*";

export interface SuspensionEntry {
  /** What the operator said, e.g. "key reported lost, ticket 4711". */
  reason: string;
  actor: string;
  at: string;
  /** The emergency revoke's correlation id (audit: revoke → revocation effective). */
  correlationId: string;
  /** The second operator, when admin.fourEyes made one approve. */
  approvedBy?: string;
  /** The key was reported lost or stolen: its credentials are revoked as lost (blocked), not only emptied. */
  lostKey?: boolean;
}

/** Key system (or ALL_SYSTEMS) → why it is suspended. Empty: not suspended. */
export type PersonSuspension = Record<string, SuspensionEntry>;

/** Whether a person's suspension takes access away in `system` (pure). */
export function suspends(suspension: PersonSuspension | undefined, system: string): boolean {
  if (!suspension) return false;
  return Object.hasOwn(suspension, ALL_SYSTEMS) || Object.hasOwn(suspension, system);
}

export class OperatorSuspensions {
  constructor(private readonly redis: RedisClient) {}

  /** The person's suspension; an empty object when there is none. */
  async get(tenant: string, personId: string): Promise<PersonSuspension> {
    const all = await this.redis.hgetall(redisKeys.operatorSuspension(tenant, personId));
    const out: PersonSuspension = {};
    for (const [system, raw] of Object.entries(all)) out[system] = JSON.parse(raw) as SuspensionEntry;
    return out;
  }

  /** Ids of a tenant's suspended persons. */
  async personIds(tenant: string): Promise<string[]> {
    return (await this.redis.smembers(redisKeys.operatorSuspended(tenant))).sort();
  }

  /**
   * Suspends the person in `systems` (ALL_SYSTEMS for every one). One field per system, written in one
   * transaction, so two operators revoking at once never lose each other's systems.
   */
  async add(tenant: string, personId: string, systems: string[], entry: SuspensionEntry): Promise<void> {
    const fields = systems.flatMap((s) => [s, JSON.stringify(entry)]);
    await this.redis
      .multi()
      .hset(redisKeys.operatorSuspension(tenant, personId), ...fields)
      .sadd(redisKeys.operatorSuspended(tenant), personId)
      .exec();
  }

  /** Lifts the whole suspension; returns what was in force (empty: nothing was). */
  async lift(tenant: string, personId: string): Promise<PersonSuspension> {
    const current = await this.get(tenant, personId);
    await this.redis
      .multi()
      .del(redisKeys.operatorSuspension(tenant, personId))
      .srem(redisKeys.operatorSuspended(tenant), personId)
      .exec();
    return current;
  }
}
