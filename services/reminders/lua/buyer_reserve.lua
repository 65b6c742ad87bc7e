-- Reserves one reminder message against the buyer's day, before the reminder is committed on its
-- order: the buyer-level rules hold across all the buyer's orders, whichever instance works them.
-- Idempotent by reservation id: a retried reminder gets its first verdict back, so a crash
-- between this and the commit neither sends twice nor spends the cap twice.
-- KEYS[1] the buyer's day (hash), KEYS[2] the buyer's open orders (zset)
-- ARGV[1] reservation id, ARGV[2] order id, ARGV[3] counter field ("c:im", "c:sms:<phone>", ...),
-- ARGV[4] the channel's daily cap (0 = none), ARGV[5] skip if the buyer paid today (0/1),
-- ARGV[6] skip if a merged message covered the order today (0/1), ARGV[7] retention of a day (ms),
-- ARGV[8] most orders merged into one message
-- Verdicts: ok (with the other open orders the message covers), buyer_paid_today, merged,
-- buyer_cap. Returns {verdict, merged order ids joined by ','}.
local day, open = KEYS[1], KEYS[2]
local rid = 'r:' .. ARGV[1]
local first = redis.call('HGET', day, rid)
if first then
  local bar = string.find(first, '|', 1, true)
  return {string.sub(first, 1, bar - 1), string.sub(first, bar + 1)}
end

local verdict, merged = 'ok', ''
if ARGV[5] == '1' and redis.call('HEXISTS', day, 'paid') == 1 then
  verdict = 'buyer_paid_today'
elseif ARGV[6] == '1' and redis.call('HEXISTS', day, 'm:' .. ARGV[2]) == 1 then
  verdict = 'merged'
else
  local cap = tonumber(ARGV[4])
  if cap > 0 and tonumber(redis.call('HGET', day, ARGV[3]) or '0') >= cap then
    verdict = 'buyer_cap'
  else
    redis.call('HINCRBY', day, ARGV[3], 1)
    local others = {}
    for _, o in ipairs(redis.call('ZRANGE', open, 0, -1)) do
      if o ~= ARGV[2] and #others < tonumber(ARGV[8]) then
        others[#others + 1] = o
        redis.call('HSET', day, 'm:' .. o, ARGV[2])
      end
    end
    merged = table.concat(others, ',')
  end
end
redis.call('HSET', day, rid, verdict .. '|' .. merged)
redis.call('PEXPIRE', day, ARGV[7])
return {verdict, merged}
