-- Applies one order event atomically and idempotently.
-- KEYS[1] order hash, KEYS[2] set of applied event ids, KEYS[3] remark history (expiry only)
-- ARGV[1] event id, ARGV[2] mode, ARGV[3] event time (ms), ARGV[4] retention (ms),
-- ARGV[5] time field, ARGV[6] count field, ARGV[7..] field/value pairs to set.
-- Modes: "first" keeps the earliest time in the time field (paid, closed, shipped, refunds);
--        "last" keeps the latest time and counts the events (modified, shipment urged);
--        "details" only sets the pairs (created).
-- Facts only accumulate, so the order's state, derived from which facts exist, does not depend on
-- the order in which events arrive. Returns {duplicate (0/1), HGETALL of the order}.
local order, events, history = KEYS[1], KEYS[2], KEYS[3]
local at = tonumber(ARGV[3])

if redis.call('SADD', events, ARGV[1]) == 0 then
  return {1, redis.call('HGETALL', order)}
end

local mode, time_field, count_field = ARGV[2], ARGV[5], ARGV[6]
if mode == 'first' then
  local seen = tonumber(redis.call('HGET', order, time_field) or '0')
  if seen == 0 or at < seen then redis.call('HSET', order, time_field, ARGV[3]) end
elseif mode == 'last' then
  local seen = tonumber(redis.call('HGET', order, time_field) or '0')
  if at > seen then redis.call('HSET', order, time_field, ARGV[3]) end
  redis.call('HINCRBY', order, count_field, 1)
end
for i = 7, #ARGV, 2 do
  redis.call('HSET', order, ARGV[i], ARGV[i + 1])
end
redis.call('HINCRBY', order, 'n', 1)

local retention = ARGV[4]
redis.call('PEXPIRE', order, retention)
redis.call('PEXPIRE', events, retention)
redis.call('PEXPIRE', history, retention)
return {0, redis.call('HGETALL', order)}
