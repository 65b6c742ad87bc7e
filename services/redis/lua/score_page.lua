-- A page of one or more sorted sets read by score, merged: up to ARGV[3] members after the
-- cursor (score ARGV[1], member ARGV[2]; '' = from the start), lowest score first, ties by
-- member, no score above ARGV[4] ('' = no bound): {set1, member1, score1, set2, ...}, where a
-- set is the position of its key in KEYS (1-based). Follow-up deadlines are read a page at a
-- time with it, and a partition's shipment stage lists (all stages asked for, in one call).
-- KEYS the sorted sets (read only).
local n = tonumber(ARGV[3])
local after_ms, after_id = tonumber(ARGV[1]) or -1, ARGV[2]
local most = ARGV[4] or ''
if most == '' then most = '+inf' end
local found = {}
for k = 1, #KEYS do
  local taken, offset = 0, 0
  while taken < n do
    local r = redis.call('ZRANGEBYSCORE', KEYS[k], math.max(after_ms, 0), most, 'WITHSCORES',
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
if #KEYS > 1 then
  table.sort(found, function(a, b)
    if a[1] ~= b[1] then return a[1] < b[1] end
    return a[2] < b[2]
  end)
end
local out = {}
for i = 1, math.min(n, #found) do
  out[#out + 1] = found[i][3]
  out[#out + 1] = found[i][2]
  out[#out + 1] = found[i][1]
end
return out
