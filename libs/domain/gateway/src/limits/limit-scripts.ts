import { luaScript } from '@slipway/redis';

/**
 * Check every limit, then move every counter or none, in one script: Redis runs a script
 * without interleaving other commands, so two requests can never both take the last unit.
 *
 * KEYS: the n counters, then the budget-top sorted sets they report to.
 * ARGV: n, m; per counter (5): incr, expireAt, topKeyIndex (index into KEYS, 0 = none), member,
 *       durable (1 = a budget counter that must exist: rebuilt from PostgreSQL when missing);
 *       per check (2): counterIndex, limit.
 * Returns {0, seconds, microseconds} (Redis TIME) when reserved; {-1, counterIndex…} when a
 * durable counter is missing (nothing moved: rebuild them, then call again); else
 * {checkIndex, current, …} for every check that failed.
 * A counter already at its limit refuses even a zero estimate, so a spent budget stays spent.
 */
export const RESERVE_SCRIPT = luaScript(`
local n = tonumber(ARGV[1])
local m = tonumber(ARGV[2])
local current = {}
local missing = {-1}
for i = 1, n do
  local value = redis.call('GET', KEYS[i])
  if not value and ARGV[2 + (i - 1) * 5 + 5] == '1' then missing[#missing + 1] = i end
  current[i] = tonumber(value or '0')
end
if #missing > 1 then return missing end
local failed = {}
local checks = 2 + n * 5
for j = 1, m do
  local c = tonumber(ARGV[checks + (j - 1) * 2 + 1])
  local limit = tonumber(ARGV[checks + (j - 1) * 2 + 2])
  local incr = tonumber(ARGV[2 + (c - 1) * 5 + 1])
  if current[c] >= limit or current[c] + incr > limit then
    failed[#failed + 1] = j
    failed[#failed + 1] = current[c]
  end
end
if #failed > 0 then return failed end
for i = 1, n do
  local base = 2 + (i - 1) * 5
  local value = redis.call('INCRBY', KEYS[i], ARGV[base + 1])
  redis.call('EXPIREAT', KEYS[i], ARGV[base + 2])
  local top = tonumber(ARGV[base + 3])
  if top > 0 then
    redis.call('ZADD', KEYS[top], value, ARGV[base + 4])
    redis.call('EXPIREAT', KEYS[top], ARGV[base + 2])
  end
end
local t = redis.call('TIME')
return {0, t[1], t[2]}
`);

/**
 * Puts back budget counters Redis lost, with the spend the durable records hold, each only if
 * it is still missing (SET NX): concurrent rebuilds of one counter write it once, and a
 * reservation already made on it is never overwritten. Each rebuilt counter gets a companion
 * `<counter>:rebuilt` holding the Redis time of the rebuild (microseconds), which `settle`
 * compares with the time of a reservation.
 *
 * KEYS: per counter (2): the counter, its companion; then the budget-top sets.
 * ARGV: m; per counter (4): value, expireAt, topKeyIndex (0 = none), member.
 * Returns how many counters it created.
 */
export const REBUILD_SCRIPT = luaScript(`
local m = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = t[1] .. string.rep('0', 6 - #t[2]) .. t[2]
local created = 0
for i = 1, m do
  local base = 1 + (i - 1) * 4
  if redis.call('SET', KEYS[2 * i - 1], ARGV[base + 1], 'NX', 'EXAT', ARGV[base + 2]) then
    redis.call('SET', KEYS[2 * i], now, 'EXAT', ARGV[base + 2])
    created = created + 1
    local top = tonumber(ARGV[base + 3])
    if top > 0 then
      redis.call('ZADD', KEYS[top], 'GT', ARGV[base + 1], ARGV[base + 4])
      redis.call('EXPIREAT', KEYS[top], ARGV[base + 2])
    end
  end
end
return created
`);

/**
 * Move each counter by (actual − reserved), never below zero. A counter that has expired (or
 * was lost) is left alone: its period is over, or the request's usage event will be counted
 * when the counter is rebuilt. A counter rebuilt after the reservation was made holds neither
 * the reservation nor (yet) this request's usage, so it gets the actual spend instead.
 *
 * KEYS: the n counters, then their n `:rebuilt` companions, then their budget-top sets.
 * ARGV: n, reservedAt (Redis time of the reservation, microseconds);
 *       per counter (4): delta, actual, topKeyIndex, member.
 */
export const SETTLE_SCRIPT = luaScript(`
local n = tonumber(ARGV[1])
local reservedAt = tonumber(ARGV[2])
for i = 1, n do
  local base = 2 + (i - 1) * 4
  if redis.call('EXISTS', KEYS[i]) == 1 then
    local delta = tonumber(ARGV[base + 1])
    local rebuiltAt = tonumber(redis.call('GET', KEYS[n + i]) or '0')
    if rebuiltAt > reservedAt then delta = tonumber(ARGV[base + 2]) end
    if delta ~= 0 then
      local value = redis.call('INCRBY', KEYS[i], delta)
      if value < 0 then
        redis.call('SET', KEYS[i], 0, 'KEEPTTL')
        value = 0
      end
      local top = tonumber(ARGV[base + 3])
      if top > 0 then redis.call('ZADD', KEYS[top], 'XX', value, ARGV[base + 4]) end
    end
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
