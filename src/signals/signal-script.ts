// The one atomic step of a signal: dedupe by event id (bounded), record it in the person's hold, bump
// the generation, mark the person dirty and append the signal's audit record to the tenant's audit
// outbox — so a signal and its record commit together, like a SCIM change (store/save-script.ts).
import { luaScript } from "../store/run-script";

/**
 * KEYS: 1 seen (zset), 2 hold (hash), 3 holds (zset), 4 generation, 5 dirty (zset), 6 outbox (list),
 * 7 outbox seq, 8 user, 9 unmatched (list), 10 channel state (hash) — all in the tenant's slot.
 * ARGV[1]: JSON plan {eventId, now, keepMs, keepMax, personId, field, value, occurredAtMs, mode,
 * unmatchedEntry, audit = {applied, duplicate, unmatched, ignored} event objects}.
 * Reply: {outcome, generation?}.
 */
export const APPLY_SIGNAL_SCRIPT = luaScript(`
local p = cjson.decode(ARGV[1])
local function record(outcome, persons)
  local e = p.audit[outcome]
  if persons then e.data.persons = persons end
  local n = redis.call('INCR', KEYS[7])
  redis.call('RPUSH', KEYS[6], n .. '|' .. cjson.encode(e))
  redis.call('HINCRBY', KEYS[10], 'count.' .. outcome, 1)
  redis.call('HSET', KEYS[10], 'lastSignalAt', p.receivedAt, 'lastEventId', p.eventId)
end
if redis.call('ZSCORE', KEYS[1], p.eventId) then
  record('duplicate')
  return {'duplicate'}
end
redis.call('ZADD', KEYS[1], p.now, p.eventId)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', p.now - p.keepMs)
local size = redis.call('ZCARD', KEYS[1])
if size > p.keepMax then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, size - p.keepMax - 1) end
if p.personId == '' or redis.call('EXISTS', KEYS[8]) == 0 then
  redis.call('LPUSH', KEYS[9], p.unmatchedEntry)
  redis.call('LTRIM', KEYS[9], 0, 99)
  record('unmatched')
  return {'unmatched'}
end
if p.mode == 'evidence' then
  record('ignored')
  return {'ignored'}
end
-- Out of order: a signal older than the one already held in its field changes nothing.
local held = redis.call('HGET', KEYS[2], p.field)
if held and tonumber(cjson.decode(held).occurredAtMs) >= p.occurredAtMs then
  record('ignored')
  return {'ignored'}
end
local existed = redis.call('EXISTS', KEYS[2])
redis.call('HSET', KEYS[2], p.field, p.value)
-- A confirmation with nothing held yet is kept (an older suspension may still arrive, out of order)
-- but changes no one's access now.
if p.mode == 'confirm' and existed == 0 then
  record('ignored')
  return {'ignored'}
end
redis.call('ZADD', KEYS[3], p.now, p.personId)
local g = redis.call('INCR', KEYS[4])
redis.call('ZADD', KEYS[5], 'NX', p.now, p.personId)
record('applied', {{personId = p.personId, kind = p.kind, generation = g}})
return {'applied', g}
`);
