-- Takes a partition's lease, or renews it for its holder.
-- KEYS[1] lease, KEYS[2] fence; ARGV[1] holder id, ARGV[2] time to live (ms).
-- A new holder gets the next fencing token; a renewal keeps its token. The fence key never
-- expires, so tokens only grow, even across lease expiries.
-- Returns {1, token} when the caller holds the lease, {0, ms until it expires} when another does.
local held = redis.call('GET', KEYS[1])
if held then
  local sep = string.find(held, '|', 1, true)
  if string.sub(held, 1, sep - 1) == ARGV[1] then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return {1, tonumber(string.sub(held, sep + 1))}
  end
  return {0, redis.call('PTTL', KEYS[1])}
end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. token, 'PX', ARGV[2])
return {1, token}
