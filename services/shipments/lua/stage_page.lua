-- Up to ARGV[3] orders of one stage list after the cursor (deadline ARGV[1] ms, order ARGV[2];
-- '' = from the start), earliest deadline first, ties by order id: {order1, deadline1, ...}.
-- KEYS[1] the stage list (read only).
local key, n = KEYS[1], tonumber(ARGV[3])
local after_ms, after_id = tonumber(ARGV[1]) or -1, ARGV[2]
local out, offset = {}, 0
while #out < 2 * n do
  local r = redis.call('ZRANGEBYSCORE', key, math.max(after_ms, 0), '+inf', 'WITHSCORES',
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
