-- Keeps a buyer's book in step with one of the buyer's orders, after its event was applied:
-- the unpaid orders (for merged reminders) and the day the buyer paid (for "skip buyers who paid
-- today"). Idempotent: a retried event writes the same again.
-- KEYS[1] the buyer's open orders (zset), KEYS[2] the buyer's day of the payment ('' unused)
-- ARGV[1] order id, ARGV[2] state: open | settled | paid, ARGV[3] created (ms),
-- ARGV[4] retention of the open orders (ms), ARGV[5] retention of a day (ms),
-- ARGV[6] most open orders kept (the newest)
-- Returns the number of open orders.
local open, day = KEYS[1], KEYS[2]
if ARGV[2] == 'open' then
  redis.call('ZADD', open, ARGV[3], ARGV[1])
  local most = tonumber(ARGV[6])
  local n = redis.call('ZCARD', open)
  if n > most then redis.call('ZREMRANGEBYRANK', open, 0, n - most - 1) end
  redis.call('PEXPIRE', open, ARGV[4])
else
  redis.call('ZREM', open, ARGV[1])
  if ARGV[2] == 'paid' then
    redis.call('HSET', day, 'paid', ARGV[1])
    redis.call('PEXPIRE', day, ARGV[5])
  end
end
return redis.call('ZCARD', open)
