// The dirty-set step of a reconcile in Lua, in a file of its own so that dirty-set.ts and
// settle-converged.ts (which dirty-set.ts calls) share it without importing each other at load time.
export type MarkResult = "clean" | "still_dirty" | "generation_moved";

/**
 * The dirty-set step of a reconcile, as a Lua function for every script that needs it (dirty-set.ts's
 * MARK_RECONCILED and settle-converged.ts): record the generation this system reconciled; the person
 * leaves the dirty set once every system (KEYS[firstOther..lastOther] the others' hashes) reached the
 * current generation. Returns 1 clean, 0 still dirty, -1 the generation moved on.
 */
export const MARK_RECONCILED_LUA = `
local function mark_reconciled(genKey, dirtyKey, doneKey, firstOther, lastOther, person, doneRaw)
  local current = tonumber(redis.call('GET', genKey) or '0')
  local done = tonumber(doneRaw)
  local mine = tonumber(redis.call('HGET', doneKey, person) or '-1')
  if done > mine then redis.call('HSET', doneKey, person, doneRaw) end
  if current ~= done then return -1 end
  for i = firstOther, lastOther do
    local g = tonumber(redis.call('HGET', KEYS[i], person) or '-1')
    if g < current then return 0 end
  end
  redis.call('ZREM', dirtyKey, person)
  return 1
end
`;

/** A mark_reconciled reply as a result. */
export function markResult(reply: number): MarkResult {
  return reply === 1 ? "clean" : reply === 0 ? "still_dirty" : "generation_moved";
}
