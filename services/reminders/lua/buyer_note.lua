-- Keeps a buyer's book in step with one of the buyer's orders, after its event was applied:
-- the unpaid orders (for merged reminders) and the day the buyer paid (for "skip buyers who paid
-- today"). Books live in buckets shared by many buyers; each field starts "<buyer>\31". Constant
-- time: entries of orders that expired unsettled are dropped by buyer_reserve.lua, which reads
-- the bucket anyway. Idempotent: a retried event writes the same again.
-- KEYS[1] the bucket's open orders (hash "<buyer>\31<order>" -> when noted, ms), KEYS[2] the
-- bucket's day of the payment (hash)
-- ARGV[1] order id, ARGV[2] state: open | settled | paid, ARGV[3] buyer id, ARGV[4] now (ms),
-- ARGV[5] retention of an open order (ms), ARGV[6] retention of a day (ms)
local open, day = KEYS[1], KEYS[2]
local field = ARGV[3] .. '\31' .. ARGV[1]
if ARGV[2] == 'open' then
  redis.call('HSET', open, field, ARGV[4])
  redis.call('PEXPIRE', open, ARGV[5])
  return 1
end
redis.call('HDEL', open, field)
if ARGV[2] == 'paid' then
  redis.call('HSET', day, ARGV[3] .. '\31paid', ARGV[1])
  redis.call('PEXPIRE', day, ARGV[6])
end
return 0
