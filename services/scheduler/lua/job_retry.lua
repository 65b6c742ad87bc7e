-- Puts a claimed job that failed back on its due-queue after a backoff, or, at the most
-- attempts, into the dead letters with the reason (then the order the job names, if packed, is
-- unpacked: see order_job_ended in services/orders/lua/lib/order_place.lua).
-- KEYS[1] lease, KEYS[2] due, KEYS[3] in-flight, KEYS[4] attempts, KEYS[5] dead letters
-- ARGV[1] lease value, ARGV[2] job id, ARGV[3] now (ms), ARGV[4] first backoff (ms),
-- ARGV[5] longest backoff (ms), ARGV[6] most attempts, ARGV[7] reason
-- The backoff doubles with each attempt up to the longest.
-- Returns {'fenced'}, {'gone'} (cancelled meanwhile), {'retry', attempts, due} or
-- {'dead', attempts}.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {'fenced'} end
local id, now = ARGV[2], tonumber(ARGV[3])
if not redis.call('ZSCORE', KEYS[3], id) then return {'gone'} end
redis.call('ZREM', KEYS[3], id)
local n = redis.call('HINCRBY', KEYS[4], id, 1)
if n >= tonumber(ARGV[6]) then
  redis.call('HDEL', KEYS[4], id)
  redis.call('HSET', KEYS[5], id, now .. '|' .. n .. '|' .. ARGV[7])
  order_job_ended(KEYS[2], id)
  return {'dead', n}
end
local backoff = math.min(tonumber(ARGV[5]), tonumber(ARGV[4]) * 2 ^ (n - 1))
local due = now + math.floor(backoff)
job_schedule(KEYS[2], id, due)
return {'retry', n, due}
