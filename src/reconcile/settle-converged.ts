// Writes a resync batch's bookkeeping for every converged person in one Lua script (issue #13 item 2):
// per person the compare-and-set of GrantLedger.writeHolderIfUnchanged, then, if it wrote, the dirty-set
// step of DirtySet.markReconciled — the same two checks, in the same order, but one round trip for the
// batch instead of two scripts per person (the MARK_RECONCILED text alone was ~0.6 KB sent per person).
// Both checks are the very Lua functions those scripts run. Every key carries the tenant's hash tag, so the
// script stays in one Redis Cluster slot.
import type { RedisClient } from "../store/create-redis-client";
import { redisKeys } from "../store/redis-keys";
import { luaScript, runScript } from "../store/run-script";
import { HOLDER_FIELD, LEDGER_UNCHANGED_LUA, type RawLedger } from "./grant-ledger";
import type { HolderRecord } from "./ledger-entry";
import { MARK_RECONCILED_LUA, type MarkResult, markResult } from "./mark-reconciled-lua";

// KEYS[1] dirty set, KEYS[2] this system's reconciled hash, KEYS[3 .. 2+o] the other systems' reconciled
// hashes, then per person its ledger hash and its generation key. ARGV[1] o, ARGV[2] persons, then per
// person: id, generation reconciled, holder JSON, expected field count m, m field/value pairs.
// Returns per person 2 when the ledger changed since it was read (nothing written), else
// markReconciled's 1 (left the dirty set), 0 (still dirty) or -1 (generation moved on).
const SETTLE_CONVERGED = luaScript(`${LEDGER_UNCHANGED_LUA}${MARK_RECONCILED_LUA}
local o = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local a = 3
local out = {}
for p = 1, n do
  local ledger = KEYS[2 + o + 2 * p - 1]
  local genKey = KEYS[2 + o + 2 * p]
  local person = ARGV[a]
  local doneRaw = ARGV[a + 1]
  local holder = ARGV[a + 2]
  local first = a + 4
  a = first + 2 * tonumber(ARGV[a + 3])
  if not ledger_unchanged(ledger, first, a - 1) then
    out[p] = 2
  else
    redis.call('HSET', ledger, '${HOLDER_FIELD}', holder)
    out[p] = mark_reconciled(genKey, KEYS[1], KEYS[2], 3, 2 + o, person, doneRaw)
  end
end
return out
`);

export interface ConvergedBookkeeping {
  personId: string;
  /** The ledger hash as read before the observe: the write happens only if it is still exactly this. */
  raw: RawLedger;
  holder: HolderRecord;
  generation: number;
}

/** Per person, in order: "ledger_changed" (nothing written) or markReconciled's result. */
export type SettleResult = "ledger_changed" | MarkResult;

export async function settleConverged(
  redis: RedisClient,
  otherSystems: string[],
  tenant: string,
  system: string,
  persons: ConvergedBookkeeping[],
): Promise<SettleResult[]> {
  if (persons.length === 0) return [];
  const keys = [
    redisKeys.dirtyPersons(tenant),
    redisKeys.reconciledGenerations(tenant, system),
    ...otherSystems.map((s) => redisKeys.reconciledGenerations(tenant, s)),
  ];
  const args: string[] = [String(otherSystems.length), String(persons.length)];
  for (const p of persons) {
    keys.push(
      redisKeys.grantLedger(tenant, system, p.personId),
      redisKeys.personGeneration(tenant, p.personId),
    );
    const expected = Object.entries(p.raw).flat();
    args.push(
      p.personId,
      String(p.generation),
      JSON.stringify(p.holder),
      String(expected.length / 2),
      ...expected,
    );
  }
  const replies = (await runScript(redis, SETTLE_CONVERGED, keys, args)) as number[];
  return replies.map((r) => (r === 2 ? "ledger_changed" : markResult(r)));
}
