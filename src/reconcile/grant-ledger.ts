// The grant ledger in Redis: per (tenant, person, key system) one hash of profile → entry, the holder
// record, the needs-attention flags and the manual work items. `access status` reads it.
import type { RedisClient } from "../store/create-redis-client";
import type { ManualTask } from "../drivers/key-system-driver";
import { redisKeys } from "../store/redis-keys";
import { luaScript, runScript } from "../store/run-script";
import {
  emptyPersonLedger,
  type HolderRecord,
  type LedgerEntry,
  type LedgerError,
  type PersonLedger,
} from "./ledger-entry";

export interface AttentionFlag {
  system: string;
  personId: string;
  /** revocation_failing: access must go, the run threw, and it is being retried (issue #9 item 2). */
  kind: "permanent" | "manual_action" | "retries_exhausted" | "manual_task" | "revocation_failing";
  error?: LedgerError;
  at: string;
  correlationId?: string;
}

export interface WorkItem {
  id: string;
  tenant: string;
  system: string;
  personId: string;
  task: ManualTask;
  createdAt: string;
  correlationId?: string;
}

const attentionField = (system: string, personId: string) => `${system}|${personId}`;

/** A person's ledger hash exactly as read: the precondition of writeHolderIfUnchanged. */
export type RawLedger = Record<string, string>;

// KEYS[1] the ledger hash; ARGV[1] the new holder JSON; ARGV[2..] the expected hash as field, value
// pairs. Writes the holder only when the hash is still exactly what was read (a WATCH-free compare and
// set: any write by a per-person run, even one that keeps the holder, changes a field or the count).
// Returns 1 when written, 0 when the ledger changed since.
/**
 * The compare half of a holder compare-and-set, as a Lua function for every script that needs it
 * (WRITE_HOLDER_IF_UNCHANGED and settle-converged.ts): true when the ledger hash at `key` holds exactly
 * the field/value pairs ARGV[first..last], nothing more.
 */
export const LEDGER_UNCHANGED_LUA = `
local function ledger_unchanged(key, first, last)
  if redis.call('HLEN', key) ~= (last - first + 1) / 2 then return false end
  for i = first, last, 2 do
    if redis.call('HGET', key, ARGV[i]) ~= ARGV[i + 1] then return false end
  end
  return true
end
`;

/** The ledger hash field of the holder record. */
export const HOLDER_FIELD = "_holder";

const WRITE_HOLDER_IF_UNCHANGED = luaScript(`${LEDGER_UNCHANGED_LUA}
if not ledger_unchanged(KEYS[1], 2, #ARGV) then return 0 end
redis.call('HSET', KEYS[1], '${HOLDER_FIELD}', ARGV[1])
return 1
`);

function parseLedger(raw: RawLedger): PersonLedger {
  const ledger = emptyPersonLedger();
  for (const [field, value] of Object.entries(raw)) {
    if (field === HOLDER_FIELD) ledger.holder = JSON.parse(value);
    else ledger.entries.push(JSON.parse(value) as LedgerEntry);
  }
  ledger.entries.sort((a, b) => (a.profile < b.profile ? -1 : 1));
  return ledger;
}

export class GrantLedger {
  constructor(private readonly redis: RedisClient) {}

  async read(tenant: string, system: string, personId: string): Promise<PersonLedger> {
    return parseLedger(await this.redis.hgetall(redisKeys.grantLedger(tenant, system, personId)));
  }

  /** The ledger and the hash it was parsed from (for writeHolderIfUnchanged). */
  async readWithRaw(
    tenant: string,
    system: string,
    personId: string,
  ): Promise<{ ledger: PersonLedger; raw: RawLedger }> {
    const raw = await this.redis.hgetall(redisKeys.grantLedger(tenant, system, personId));
    return { ledger: parseLedger(raw), raw };
  }

  /**
   * Replaces only the holder record, and only if the ledger is still `raw` (resync batches: a per-person
   * run that wrote meanwhile wins). False when it changed; nothing is written then.
   */
  async writeHolderIfUnchanged(
    tenant: string,
    system: string,
    personId: string,
    raw: RawLedger,
    holder: HolderRecord,
  ): Promise<boolean> {
    const expected = Object.entries(raw).flat();
    const key = redisKeys.grantLedger(tenant, system, personId);
    const written = await runScript(
      this.redis,
      WRITE_HOLDER_IF_UNCHANGED,
      [key],
      [JSON.stringify(holder), ...expected],
    );
    return written === 1;
  }

  /** How many full resyncs of `system` have started (0: none); see HolderRecord.convergedEpoch. */
  async resyncEpoch(system: string): Promise<number> {
    return Number(await this.redis.get(redisKeys.resyncEpoch(system))) || 0;
  }

  /** Called by a full resync before it enqueues anyone: every person observes at least once after. */
  async startResyncEpoch(system: string): Promise<void> {
    await this.redis.incr(redisKeys.resyncEpoch(system));
  }

  /** Replaces the person's ledger in this key system in one transaction. */
  async write(tenant: string, system: string, personId: string, ledger: PersonLedger): Promise<void> {
    const key = redisKeys.grantLedger(tenant, system, personId);
    const fields: string[] = [HOLDER_FIELD, JSON.stringify(ledger.holder)];
    for (const e of ledger.entries) fields.push(e.profile, JSON.stringify(e));
    await this.redis
      .multi()
      .del(key)
      .hset(key, ...fields)
      .exec();
  }

  /** Records a failed driver call on the entries still in flight and on the holder record. */
  async recordError(
    tenant: string,
    system: string,
    personId: string,
    error: LedgerError,
    state?: "failed" | "manual_action",
  ): Promise<void> {
    const ledger = await this.read(tenant, system, personId);
    ledger.holder.lastError = error;
    for (const entry of ledger.entries) {
      if (entry.state !== "requested") continue;
      entry.lastError = error;
      if (state) entry.state = state;
      entry.updatedAt = error.at;
    }
    await this.write(tenant, system, personId, ledger);
  }

  async flagAttention(tenant: string, flag: AttentionFlag): Promise<void> {
    await this.redis.hset(
      redisKeys.needsAttention(tenant),
      attentionField(flag.system, flag.personId),
      JSON.stringify(flag),
    );
  }

  async clearAttention(tenant: string, system: string, personId: string): Promise<void> {
    await this.redis.hdel(redisKeys.needsAttention(tenant), attentionField(system, personId));
  }

  async attention(tenant: string, system: string, personId: string): Promise<AttentionFlag | null> {
    const raw = await this.redis.hget(redisKeys.needsAttention(tenant), attentionField(system, personId));
    return raw ? (JSON.parse(raw) as AttentionFlag) : null;
  }

  async listAttention(tenant: string): Promise<AttentionFlag[]> {
    const raw = await this.redis.hvals(redisKeys.needsAttention(tenant));
    return raw.map((r) => JSON.parse(r) as AttentionFlag);
  }

  /** Adds an open work item; false (and nothing changed) when one with this id is already open. */
  async addWorkItem(item: WorkItem): Promise<boolean> {
    return (await this.redis.hsetnx(redisKeys.workItems(item.tenant), item.id, JSON.stringify(item))) === 1;
  }

  /** The open work items among `ids` (closed ones, e.g. done by an operator, are left out). */
  async workItems(tenant: string, ids: string[]): Promise<WorkItem[]> {
    if (ids.length === 0) return [];
    const raw = await this.redis.hmget(redisKeys.workItems(tenant), ...ids);
    return raw.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as WorkItem);
  }

  /** Closes a work item; false when it was not open (closing twice closes once). */
  async closeWorkItem(tenant: string, id: string): Promise<boolean> {
    return (await this.redis.hdel(redisKeys.workItems(tenant), id)) === 1;
  }

  async listWorkItems(tenant: string): Promise<WorkItem[]> {
    const raw = await this.redis.hvals(redisKeys.workItems(tenant));
    return raw.map((r) => JSON.parse(r) as WorkItem).sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
  }

  async workItem(tenant: string, id: string): Promise<WorkItem | null> {
    const raw = await this.redis.hget(redisKeys.workItems(tenant), id);
    return raw ? (JSON.parse(raw) as WorkItem) : null;
  }
}
