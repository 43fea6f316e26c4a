// The per-tenant dirty set's reconcile side: a person leaves it only when every key system has
// reconciled the generation that is current, checked atomically in Lua (directory-change.ts). Beside
// it, the timers due: a reconciled person can still owe a look at a set time (an effect pending at the
// locks, a validity start or end), and the sweeper picks up one whose timer did not run by then.
import type { RedisClient } from "../store/create-redis-client";
import { redisKeys } from "../store/redis-keys";
import { MARK_RECONCILED_LUA, type MarkResult, markResult } from "./mark-reconciled-lua";
import { type ConvergedBookkeeping, type SettleResult, settleConverged } from "./settle-converged";

// KEYS[1] generation, KEYS[2] dirty set, KEYS[3] this system's reconciled hash, KEYS[4..] the other
// systems' reconciled hashes. ARGV[1] person, ARGV[2] generation reconciled.
// Returns 1 when the person left the dirty set, 0 when still dirty, -1 when the generation moved on.
const MARK_RECONCILED = `${MARK_RECONCILED_LUA}
return mark_reconciled(KEYS[1], KEYS[2], KEYS[3], 4, #KEYS, ARGV[1], ARGV[2])
`;

export type { MarkResult };

export class DirtySet {
  constructor(
    private readonly redis: RedisClient,
    /** Every key system the mappings declare: all must have reconciled a person before it is clean. */
    private readonly systems: () => string[],
  ) {}

  async markReconciled(
    tenant: string,
    system: string,
    personId: string,
    generation: number,
  ): Promise<MarkResult> {
    const others = this.systems().filter((s) => s !== system);
    const keys = [
      redisKeys.personGeneration(tenant, personId),
      redisKeys.dirtyPersons(tenant),
      redisKeys.reconciledGenerations(tenant, system),
      ...others.map((s) => redisKeys.reconciledGenerations(tenant, s)),
    ];
    const result = await this.redis.eval(MARK_RECONCILED, keys.length, ...keys, personId, String(generation));
    return markResult(result as number);
  }

  /**
   * Records when this person's earliest timer in this system is due (null: none): the BullMQ timer
   * does the work, this entry lets the sweeper notice if it never ran (a lost job, a Redis failover).
   */
  async expectTimer(tenant: string, system: string, personId: string, dueAt: string | null): Promise<void> {
    const key = redisKeys.timersDue(tenant);
    const member = timerMember(system, personId);
    if (dueAt === null) await this.redis.zrem(key, member);
    else await this.redis.zadd(key, Date.parse(dueAt), member);
  }

  /**
   * Timers due before `olderThanMs` (epoch ms), oldest first; each is moved to `retryAtMs`, so a
   * person whose reconcile keeps failing is handed back at most once per sweep period, not every sweep.
   */
  async overdueTimers(
    tenant: string,
    olderThanMs: number,
    retryAtMs: number,
    limit: number,
  ): Promise<Array<{ system: string; personId: string }>> {
    const key = redisKeys.timersDue(tenant);
    const members = await this.redis.zrangebyscore(key, "-inf", olderThanMs, "LIMIT", 0, limit);
    if (members.length === 0) return [];
    // XX: a reconcile that removed the entry meanwhile (no timer any more) is not undone.
    await this.redis.zadd(key, "XX", ...members.flatMap((m) => [retryAtMs, m]));
    return members.map(parseTimerMember);
  }

  /**
   * A resync batch's converged persons: each one's holder written only if their ledger is unchanged,
   * then marked reconciled as markReconciled does; one script for the batch (settle-converged.ts).
   */
  settleConverged(tenant: string, system: string, persons: ConvergedBookkeeping[]): Promise<SettleResult[]> {
    const others = this.systems().filter((s) => s !== system);
    return settleConverged(this.redis, others, tenant, system, persons);
  }

  /** Persons first marked dirty before `olderThanMs` (epoch ms), oldest first. */
  async stale(tenant: string, olderThanMs: number, limit: number, offset = 0): Promise<string[]> {
    const key = redisKeys.dirtyPersons(tenant);
    return this.redis.zrangebyscore(key, "-inf", olderThanMs, "LIMIT", offset, limit);
  }
}

// Key system ids are lower-case letters, digits and '-' (mapping-schema.ts): the first '|' splits.
const timerMember = (system: string, personId: string) => `${system}|${personId}`;

function parseTimerMember(member: string): { system: string; personId: string } {
  const bar = member.indexOf("|");
  return { system: member.slice(0, bar), personId: member.slice(bar + 1) };
}
