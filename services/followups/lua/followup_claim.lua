-- Claims the open, unclaimed follow-up with the earliest deadline from the given shifts' queues,
-- after putting back the follow-ups whose claims expired.
-- KEYS[1] the shop's follow-up base key (see lib/followups.lua).
-- ARGV[1] now (ms), ARGV[2] agent, ARGV[3] claim until (ms), ARGV[4..] shifts
-- Returns {'ok', id, released} or {'empty', released}.
local base, now = KEYS[1], ARGV[1]
local released = fu_release_expired(base, now)
local best, best_dl, best_shift
for i = 4, #ARGV do
  local r = redis.call('ZRANGE', base .. ':q:' .. ARGV[i], 0, 0, 'WITHSCORES')
  if #r > 0 then
    local dl = tonumber(r[2])
    if not best or dl < best_dl or (dl == best_dl and r[1] < best) then
      best, best_dl, best_shift = r[1], dl, ARGV[i]
    end
  end
end
if not best then return {'empty', released} end
redis.call('ZREM', base .. ':q:' .. best_shift, best)
redis.call('HSET', fu_record(base, best), 'a', ARGV[2], 'cu', ARGV[3])
redis.call('ZADD', base .. ':c', ARGV[3], best)
return {'ok', best, released}
