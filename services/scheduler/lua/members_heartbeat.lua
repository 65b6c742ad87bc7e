-- Marks the calling instance alive and lists the live ones.
-- KEYS[1] the set of instance ids; each instance's liveness key is KEYS[1] .. ':' .. id, under
-- the same hash tag. ARGV[1] the caller's id, ARGV[2] how long it stays alive unrenewed (ms).
-- Ids whose liveness key ran out leave the set. Returns the live ids, the caller's among them.
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('SET', KEYS[1] .. ':' .. ARGV[1], '1', 'PX', ARGV[2])
local live = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', KEYS[1] .. ':' .. id) == 1 then
    live[#live + 1] = id
  else
    redis.call('SREM', KEYS[1], id)
  end
end
return live
