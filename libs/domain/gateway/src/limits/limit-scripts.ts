import { luaScript } from '@slipway/redis';

/**
 * Check every limit, then move every counter or none, in one script: Redis runs a script
 * without interleaving other commands, so two requests can never both take the last unit.
 *
 * KEYS: the n counters, then the budget-top sorted sets they report to.
 * ARGV: n, m; per counter (4): incr, expireAt, topKeyIndex (index into KEYS, 0 = none), member;
 *       per check (2): counterIndex, limit.
 * Returns {} when reserved, else {checkIndex, current, …} for every check that failed.
 * A counter already at its limit refuses even a zero estimate, so a spent budget stays spent.
 */
export const RESERVE_SCRIPT = luaScript(`
local n = tonumber(ARGV[1])
local m = tonumber(ARGV[2])
local current = {}
for i = 1, n do current[i] = tonumber(redis.call('GET', KEYS[i]) or '0') end
local failed = {}
local checks = 2 + n * 4
for j = 1, m do
  local c = tonumber(ARGV[checks + (j - 1) * 2 + 1])
  local limit = tonumber(ARGV[checks + (j - 1) * 2 + 2])
  local incr = tonumber(ARGV[2 + (c - 1) * 4 + 1])
  if current[c] >= limit or current[c] + incr > limit then
    failed[#failed + 1] = j
    failed[#failed + 1] = current[c]
  end
end
if #failed > 0 then return failed end
for i = 1, n do
  local base = 2 + (i - 1) * 4
  local value = redis.call('INCRBY', KEYS[i], ARGV[base + 1])
  redis.call('EXPIREAT', KEYS[i], ARGV[base + 2])
  local top = tonumber(ARGV[base + 3])
  if top > 0 then
    redis.call('ZADD', KEYS[top], value, ARGV[base + 4])
    redis.call('EXPIREAT', KEYS[top], ARGV[base + 2])
  end
end
return {}
`);

/**
 * Move each counter by (actual − reserved), never below zero. A counter that has expired is
 * left alone (its period is over; recreating it would leave a key without a TTL).
 *
 * KEYS: the counters, then their budget-top sets. ARGV: n; per counter (3): delta, topKeyIndex, member.
 */
export const SETTLE_SCRIPT = luaScript(`
local n = tonumber(ARGV[1])
for i = 1, n do
  local base = 1 + (i - 1) * 3
  if redis.call('EXISTS', KEYS[i]) == 1 then
    local value = redis.call('INCRBY', KEYS[i], ARGV[base + 1])
    if value < 0 then
      redis.call('SET', KEYS[i], 0, 'KEEPTTL')
      value = 0
    end
    local top = tonumber(ARGV[base + 2])
    if top > 0 then redis.call('ZADD', KEYS[top], 'XX', value, ARGV[base + 3]) end
  end
end
return 1
`);

/**
 * Read spend for the usage bars. ARGV[i] says what KEYS[i] is: 'get' a counter, or 'top'
 * (the highest score of a budget-top set). Returns one value per key, '0' when absent.
 */
export const USAGE_SCRIPT = luaScript(`
local out = {}
for i = 1, #KEYS do
  if ARGV[i] == 'top' then
    local best = redis.call('ZREVRANGE', KEYS[i], 0, 0, 'WITHSCORES')
    out[i] = best[2] or '0'
  else
    out[i] = redis.call('GET', KEYS[i]) or '0'
  end
end
return out
`);
