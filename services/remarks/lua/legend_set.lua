-- Sets meanings in a shop's flag legend; a retry of the same request returns the first result.
-- KEYS[1] legend hash, KEYS[2] request key
-- ARGV[1] request ttl (ms), ARGV[2..] flag/meaning pairs
-- Returns the legend as stored after the first run of this request (HGETALL shape).
local first = redis.call('HGETALL', KEYS[2])
if #first > 0 then return first end
for i = 2, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
local legend = redis.call('HGETALL', KEYS[1])
redis.call('HSET', KEYS[2], unpack(legend))
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return legend
