-- Applies one order event atomically and idempotently.
-- KEYS[1] order hash, KEYS[2] remark history (expiry only),
-- KEYS[3..7] the shop's flag index for flags 1-5 in this partition,
-- KEYS[8..10] the reminder due-queue, its in-flight set and attempts,
-- KEYS[11..13] the same of the reminder delivery queue,
-- KEYS[14] the shop's reminder stats of the event's day in this partition,
-- KEYS[15..17] the shipment sweep queue, its in-flight set and attempts,
-- KEYS[18..20] the shop's shipment stage lists in this partition, KEYS[21] its stage summary,
-- KEYS[22] the shipment notice due-queue, KEYS[23] the follow-up due-queue,
-- KEYS[24] the partition's shipment stage totals over all shops
-- The ids of applied events are fields "e:<id>" of the order hash itself: a separate set per
-- order would cost more memory than the order's state.
-- ARGV[1] event id, ARGV[2] mode, ARGV[3] the event's time (ms), ARGV[4] retention (ms),
-- ARGV[5] time field, ARGV[6] count field, ARGV[7] now (ms), ARGV[8] order id,
-- ARGV[9] the order's job id "<shop>:<order>" (reminder and sweep), ARGV[10] when the first
-- automatic reminder is due (ms, '' = none by the shop's policy), ARGV[11] when the event's day began (ms, in the shop's
-- time zone), ARGV[12] retention of the stats (ms), ARGV[13] pack the order (1/0, see below),
-- ARGV[14..] field/value pairs that come with the event; an empty value removes the field
-- (absent reads as empty, or as the default).
-- Modes: "first" keeps the earliest time in the time field (created, paid, closed, shipped,
--        refunds); "last" keeps the latest and counts the events (modified, shipment urged).
-- The pairs are written only by the event that wins the time comparison, and facts only
-- accumulate, so the order's fields and its derived state do not depend on arrival order.
-- Reminders: an order that is created and not settled (paid, closed, refunded, shipped) gets its
-- reminder job, unless it has one; a settled order loses it, and the delivery of its last
-- reminder if that is still waiting, so no reminder goes out once payment is recorded.
-- With ARGV[13] = 1, an order that this event creates, and whose first reminder it schedules, is
-- packed into its partition's order bucket (lib/order_place.lua); any later event unpacks it.
-- (Packing needs the created event to be the order's first: one that arrives after another event
-- of the order leaves it under its own key.)
-- Returns {duplicate (0/1), HGETALL of the order, reminder due (ms) if scheduled now, else -1}.
local order, history = KEYS[1], KEYS[2]
local at, retention, now, order_id = tonumber(ARGV[3]), ARGV[4], ARGV[7], ARGV[8]

local applied = 'e:' .. ARGV[1]
local new = redis.call('EXISTS', order) == 0
if not new then
  if redis.call('HEXISTS', order, applied) == 1 then
    return {1, redis.call('HGETALL', order), -1}
  end
else
  local packed = order_packed(order)  -- no key of its own: only its bucket may hold it
  for i = 1, #packed, 2 do
    if packed[i] == applied then return {1, packed, -1} end
  end
  if #packed > 0 then
    order_unpack(order, packed)
    new = false
  end
end

-- The order's changes go out as one HSET (and one HDEL): each write command is a record in the
-- append-only file and on replicas, and an event wrote four to six of them one field at a time.
local mode, time_field, count_field = ARGV[2], ARGV[5], ARGV[6]
local cur = redis.call('HMGET', order, time_field, 'n', count_field)  -- '' reads as absent
local seen = tonumber(cur[1] or '0')
local set, del = {applied, 1, 'n', tonumber(cur[2] or '0') + 1}, {}
local wins
if mode == 'first' then
  wins = seen == 0 or at < seen
else
  wins = at > seen
  set[#set + 1], set[#set + 2] = count_field, tonumber(cur[3] or '0') + 1
end
if wins then
  set[#set + 1], set[#set + 2] = time_field, ARGV[3]
  for i = 14, #ARGV, 2 do
    if ARGV[i + 1] == '' then
      del[#del + 1] = ARGV[i]
    else
      set[#set + 1], set[#set + 2] = ARGV[i], ARGV[i + 1]
    end
  end
end

local job, stats = ARGV[9], KEYS[14]
-- A new order created unpaid, whose first reminder this event schedules (most orders at a
-- peak), goes straight into its bucket: written under its own key first and then moved, it would
-- cost Redis, the append-only file and replicas every field twice. Its other effects are those
-- of the general path below for such an order: counted as placed, and its reminder scheduled.
if new and ARGV[13] == '1' and time_field == 'ct' and ARGV[10] ~= '' then
  local has = {}
  for i = 1, #set, 2 do
    set[i + 1] = tostring(set[i + 1])  -- as HGETALL would read them
    has[set[i]] = true
  end
  if not (has.paid or has.cls or has.rfd or has.shp) and not redis.call('ZSCORE', KEYS[9], job)
      and job_schedule(KEYS[8], job, ARGV[10], true) == 1 then
    redis.call('HINCRBY', stats, 'placed', 1)
    redis.call('PEXPIRE', stats, ARGV[12])
    if not order_pack(order, set, retention) then
      redis.call('HSET', order, unpack(set))
      redis.call('PEXPIRE', order, retention)
    end
    return {0, set, tonumber(ARGV[10])}
  end
end

redis.call('HSET', order, unpack(set))
if #del > 0 then redis.call('HDEL', order, unpack(del)) end

-- The order is active: its keys live on, and so does its entry under its flag.
redis.call('PEXPIRE', order, retention)
redis.call('PEXPIRE', history, retention)
local flag = tonumber(redis.call('HGET', order, 'f') or '0')
if flag ~= 0 then
  redis.call('ZADD', KEYS[2 + flag], 'XX', now, order_id)
  redis.call('PEXPIRE', KEYS[2 + flag], retention)
end

-- Stats: orders placed, paid the same day, and paid after a reminder (by the last reminder's kind,
-- how long after it, the amount) or after being held out. Counted once: on the first created or
-- paid event of the order.
if seen == 0 and (time_field == 'ct' or time_field == 'paid') then
  if time_field == 'ct' then
    redis.call('HINCRBY', stats, 'placed', 1)
  else
    local o = redis.call('HMGET', order, 'ct', 'rn', 'rk', 'rl', 'amt', 'ho')
    local ct, amount = tonumber(o[1] or '0'), tonumber(o[5] or '0')
    if ct > 0 and ct >= tonumber(ARGV[11]) and ct <= at then
      redis.call('HINCRBY', stats, 'paid_same_day', 1)
    end
    if tonumber(o[2] or '0') > 0 and o[3] then
      redis.call('HINCRBY', stats, 'paid_after:' .. o[3], 1)
      redis.call('HINCRBY', stats, 'recovered_fen:' .. o[3], amount)
      local waited = at - tonumber(o[4] or '0')
      local within = 'later'
      if waited <= 3600000 then within = '1h'
      elseif waited <= 21600000 then within = '6h'
      elseif waited <= 86400000 then within = '24h' end
      redis.call('HINCRBY', stats, 'paid_within:' .. within, 1)
    elseif o[6] then
      redis.call('HINCRBY', stats, 'holdout_paid', 1)
      redis.call('HINCRBY', stats, 'holdout_recovered_fen', amount)
    end
  end
  redis.call('PEXPIRE', stats, ARGV[12])
end

local scheduled = -1
local st = redis.call('HMGET', order, 'ct', 'paid', 'cls', 'rfd', 'shp', 'ru')
if st[2] or st[3] or st[4] or st[5] then
  job_cancel(KEYS[8], KEYS[9], KEYS[10], job)
  if st[6] then job_cancel(KEYS[11], KEYS[12], KEYS[13], job .. ':' .. st[6]) end
elseif st[1] and ARGV[10] ~= '' and not redis.call('ZSCORE', KEYS[9], job) then
  if job_schedule(KEYS[8], job, ARGV[10], true) == 1 then scheduled = tonumber(ARGV[10]) end
end

-- Shipment sweeps: a paid order that has not shipped, closed or been refunded is watched; its
-- payment, a change or the buyer urging has the sweep look at it as of the event's time (the
-- worker plans its stages). Shipped, closed or refunded, it leaves the sweep at once.
-- A refund requested before shipping tells the warehouse to stop the shipment, at once.
if st[2] and not (st[3] or st[4] or st[5]) then
  if time_field == 'paid' or time_field == 'mod' or time_field == 'urg' then
    job_schedule(KEYS[15], job, ARGV[3])
  elseif time_field == 'rrq' and wins then
    job_schedule(KEYS[22], job .. ':stop', ARGV[3])
  end
elseif st[2] or st[5] then
  job_cancel(KEYS[15], KEYS[16], KEYS[17], job)
  local stage = tonumber(redis.call('HGET', order, 'ss') or '0')
  if stage > 0 then
    stage_move(order, order_id, {KEYS[18], KEYS[19], KEYS[20]}, {KEYS[21], KEYS[24]}, stage, 0, now, 0, 0)
  end
end

-- Follow-ups: the first refund request (on an order not refunded yet) or stock-out opens one;
-- the follow-up worker reads the order then (the job runs at the event's time, i.e. at once).
-- An earlier copy of the event from elsewhere wins the time but opens nothing more.
if seen == 0 and not st[4] then
  if time_field == 'rrq' then
    job_schedule(KEYS[23], job .. ':rfq', ARGV[3])
  elseif time_field == 'so' and not (st[3] or st[5]) then
    job_schedule(KEYS[23], job .. ':sto', ARGV[3])
  end
end
-- A payment keeps a buyer's promise, and a refund voids a cashback: their open follow-ups close.
if wins then
  if time_field == 'paid' and redis.call('HEXISTS', order, 'pp') == 1 then
    job_schedule(KEYS[23], job .. ':ppk', ARGV[3])
  elseif time_field == 'rfd' and redis.call('HEXISTS', order, 'cb') == 1 then
    job_schedule(KEYS[23], job .. ':cbx', ARGV[3])
  end
end
return {0, redis.call('HGETALL', order), scheduled}
