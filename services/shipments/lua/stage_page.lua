-- A page of a shop's delayed orders in one partition, over the stage lists asked for: up to
-- ARGV[3] orders after the cursor (deadline ARGV[1] ms, order id ARGV[2]; '' = from the start),
-- earliest deadline first, ties by order id: {stage1, order1, deadline1, stage2, ...}, where a
-- stage is the position of its list in KEYS (1-based). One call per partition reads all stages.
-- KEYS the shop's stage lists in this partition (sorted sets scored by deadline ms), read only.
local n = tonumber(ARGV[3])
local after_ms, after_id = tonumber(ARGV[1]) or -1, ARGV[2]
local found = {}
for k = 1, #KEYS do
  local taken, offset = 0, 0
  while taken < n do
    local r = redis.call('ZRANGEBYSCORE', KEYS[k], math.max(after_ms, 0), '+inf', 'WITHSCORES',
                         'LIMIT', offset, n)
    if #r == 0 then break end
    for i = 1, #r, 2 do
      local ms = tonumber(r[i + 1])
      if taken < n and (ms > after_ms or (ms == after_ms and r[i] > after_id)) then
        found[#found + 1] = {ms, r[i], k}
        taken = taken + 1
      end
    end
    offset = offset + n
  end
end
table.sort(found, function(a, b)
  if a[1] ~= b[1] then return a[1] < b[1] end
  return a[2] < b[2]
end)
local out = {}
for i = 1, math.min(n, #found) do
  out[#out + 1] = found[i][3]
  out[#out + 1] = found[i][2]
  out[#out + 1] = found[i][1]
end
return out
