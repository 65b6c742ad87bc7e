-- Removes a job wherever it is, due or in flight: O(log n).
-- KEYS[1] due, KEYS[2] in-flight, KEYS[3] attempts; ARGV[1] job id.
-- Returns 1 if the job was there.
redis.call('HDEL', KEYS[3], ARGV[1])
local n = redis.call('ZREM', KEYS[1], ARGV[1]) + redis.call('ZREM', KEYS[2], ARGV[1])
return math.min(n, 1)
