-- A page of a sorted set read by score: up to ARGV[3] members after the cursor (score ARGV[1],
-- member ARGV[2]; '' = from the start), lowest score first, ties by member, no score above
-- ARGV[4] ('' = no bound): {member1, score1, ...}. Follow-up deadlines are read a page at a
-- time with it (shipment stage lists with stage_page.lua, all stages at once).
-- KEYS[1] the sorted set (read only).
local key, n = KEYS[1], tonumber(ARGV[3])
local after_ms, after_id = tonumber(ARGV[1]) or -1, ARGV[2]
local most = ARGV[4] or ''
if most == '' then most = '+inf' end
local out, offset = {}, 0
while #out < 2 * n do
  local r = redis.call('ZRANGEBYSCORE', key, math.max(after_ms, 0), most, 'WITHSCORES',
                       'LIMIT', offset, n)
  if #r == 0 then break end
  for i = 1, #r, 2 do
    local ms = tonumber(r[i + 1])
    if #out < 2 * n and (ms > after_ms or (ms == after_ms and r[i] > after_id)) then
      out[#out + 1] = r[i]
      out[#out + 1] = ms
    end
  end
  offset = offset + n
end
return out
