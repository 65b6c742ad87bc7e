-- Reserves one reminder message against the buyer's day, before the reminder is committed on its
-- order: the buyer-level rules hold across all the buyer's orders, whichever instance works them.
-- Idempotent by reservation id: a retried reminder gets its first verdict back, so a crash
-- between this and the commit neither sends twice nor spends the cap twice. Books live in
-- buckets shared by many buyers; each field starts "<buyer>\31".
-- KEYS[1] the bucket's day (hash), KEYS[2] the bucket's open orders (hash)
-- ARGV[1] reservation id, ARGV[2] order id, ARGV[3] counter ("c:im", "c:sms:<phone>", ...),
-- ARGV[4] the channel's daily cap (0 = none), ARGV[5] skip if the buyer paid today (0/1),
-- ARGV[6] skip if a merged message covered the order today (0/1), ARGV[7] retention of a day (ms),
-- ARGV[8] most orders merged into one message, ARGV[9] buyer id, ARGV[10] now (ms),
-- ARGV[11] retention of an open order (ms): older entries (orders that expired unsettled, of any
-- buyer in the bucket) are dropped as they are met
-- Verdicts: ok (with the other open orders the message covers, in the order they were noted),
-- buyer_paid_today, merged, buyer_cap. Returns {verdict, merged order ids joined by ','}.
local day, open = KEYS[1], KEYS[2]
local prefix = ARGV[9] .. '\31'
local rid = prefix .. 'r:' .. ARGV[1]
local first = redis.call('HGET', day, rid)
if first then
  local bar = string.find(first, '|', 1, true)
  return {string.sub(first, 1, bar - 1), string.sub(first, bar + 1)}
end

local verdict, merged = 'ok', ''
local counter = prefix .. ARGV[3]
if ARGV[5] == '1' and redis.call('HEXISTS', day, prefix .. 'paid') == 1 then
  verdict = 'buyer_paid_today'
elseif ARGV[6] == '1' and redis.call('HEXISTS', day, prefix .. 'm:' .. ARGV[2]) == 1 then
  verdict = 'merged'
else
  local cap = tonumber(ARGV[4])
  if cap > 0 and tonumber(redis.call('HGET', day, counter) or '0') >= cap then
    verdict = 'buyer_cap'
  else
    redis.call('HINCRBY', day, counter, 1)
    local others = {}
    local oldest = tonumber(ARGV[10]) - tonumber(ARGV[11])
    local all = redis.call('HGETALL', open)
    for i = 1, #all, 2 do
      if tonumber(all[i + 1]) < oldest then
        redis.call('HDEL', open, all[i])
      elseif string.sub(all[i], 1, #prefix) == prefix then
        local order = string.sub(all[i], #prefix + 1)
        if order ~= ARGV[2] then others[#others + 1] = {order, tonumber(all[i + 1])} end
      end
    end
    table.sort(others, function(a, b) return a[2] < b[2] end)
    local names = {}
    for i = 1, math.min(#others, tonumber(ARGV[8])) do
      names[i] = others[i][1]
      redis.call('HSET', day, prefix .. 'm:' .. others[i][1], ARGV[2])
    end
    merged = table.concat(names, ',')
  end
end
redis.call('HSET', day, rid, verdict .. '|' .. merged)
redis.call('PEXPIRE', day, ARGV[7])
return {verdict, merged}
