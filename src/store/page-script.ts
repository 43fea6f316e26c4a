// One page of a sorted-set index by rank, with its total, read atomically: O(log N + page) whether the
// page is the first or the last (RFC 7644 §3.4.2.4 paging with a correct totalResults).
import { luaScript } from "./run-script";

/**
 * ARGV: mode (all|lex|score), lo, hi, before, offset, count. `before` bounds the members that precede
 * the range (counted to find the rank of its first member); lex members of one range are contiguous.
 * Reply: total, then the members of the page.
 */
export const PAGE_SCRIPT = luaScript(`
local key, mode = KEYS[1], ARGV[1]
local offset, count = tonumber(ARGV[5]), tonumber(ARGV[6])
local first, total
if mode == 'all' then
  first = 0
  total = redis.call('ZCARD', key)
elseif mode == 'lex' then
  first = redis.call('ZLEXCOUNT', key, '-', ARGV[4])
  total = redis.call('ZLEXCOUNT', key, ARGV[2], ARGV[3])
else
  first = redis.call('ZCOUNT', key, '-inf', ARGV[4])
  total = redis.call('ZCOUNT', key, ARGV[2], ARGV[3])
end
local reply = {total}
if count <= 0 or offset >= total then return reply end
local last = math.min(offset + count, total) - 1
for _, member in ipairs(redis.call('ZRANGE', key, first + offset, first + last)) do
  reply[#reply + 1] = member
end
return reply
`);
