-- Commits one reminder of an order, sent or skipped, in one step: the reminder record, the
-- order's counters, the delivery job, the system remark, and the order's next automatic reminder.
-- Only while the order is unpaid: once its paid (closed, refunded, shipped) event is accepted, no
-- reminder is committed, so none goes out.
-- KEYS[1] lease, KEYS[2] order, KEYS[3] remark history, KEYS[4] reminder records,
-- KEYS[5] reminder due-queue, KEYS[6] its in-flight set, KEYS[7] its attempts,
-- KEYS[8] delivery due-queue, KEYS[9] request key, KEYS[10..14] flag index for flags 1-5,
-- KEYS[15] the shop's reminder stats of today in this partition
-- ARGV[1] lease value: '' for an agent's Trigger (not a queued job, not fenced)
-- ARGV[2] job id "<shop>:<order>"   ARGV[3] reminders recorded so far, as read (compare-and-set)
-- ARGV[4] now (ms)   ARGV[5] outcome: sent | skipped   ARGV[6] kind   ARGV[7] channel
-- ARGV[8] agent ('' = automatic)   ARGV[9] due (ms)   ARGV[10] reason   ARGV[11] message text
-- ARGV[12] the next automatic reminder's due time (ms, '' = none)   ARGV[13] remark line ('' = none)
-- ARGV[14] history cap   ARGV[15] retention (ms)   ARGV[16] most remark bytes   ARGV[17] order id
-- ARGV[18] request id ('' = none)   ARGV[19] request ttl (ms)   ARGV[20] remark actor
-- ARGV[21] remark source   ARGV[22] the buyer's other orders the message covers, joined by ','
-- ARGV[23] retention of the stats (ms)
-- Records are numbered from 1 in the records hash: kind, channel, agent, due, time, outcome,
-- reason, text, merged orders joined by \31. The delivery job of record n is "<shop>:<order>:<n>".
-- Returns {'ok', number, sent so far, remark version (0 = unchanged), {record, answer}},
-- {'replay', number, {record, answer}} (the record and its answer as HMGET gives them, so the
-- caller needs no second read),
-- {'fenced'}, {'gone'} (the job was cancelled since it was claimed), {'unknown'} (no created
-- event), {'settled', field} (paid, closed, refunded or shipped) or {'stale', recorded}.
local lease, job, now = ARGV[1], ARGV[2], ARGV[4]
local order, records = KEYS[2], KEYS[4]
local queued = lease ~= ''
if queued and redis.call('GET', KEYS[1]) ~= lease then return {'fenced'} end
if ARGV[18] ~= '' then
  local first = redis.call('GET', KEYS[9])
  if first then
    return {'replay', tonumber(first), redis.call('HMGET', records, first, 'a:' .. first)}
  end
end
if queued and not redis.call('ZSCORE', KEYS[6], job) then return {'gone'} end

order_unpack(order)
local st = redis.call('HMGET', order, 'ct', 'paid', 'cls', 'rfd', 'shp', 'ru', 'rn')
if not st[1] then return {'unknown'} end
for i, field in ipairs({'paid', 'cls', 'rfd', 'shp'}) do
  if st[i + 1] then
    if queued then job_done(KEYS[6], KEYS[7], job) end
    return {'settled', field}
  end
end
local recorded, sent = tonumber(st[6] or '0'), tonumber(st[7] or '0')
if tonumber(ARGV[3]) ~= recorded then return {'stale', recorded} end

local retention = ARGV[15]
local n = recorded + 1
redis.call('HSET', records, n,
           table.concat({ARGV[6], ARGV[7], ARGV[8], ARGV[9], now, ARGV[5], ARGV[10], ARGV[11],
                         ARGV[22]}, '\31'))
redis.call('PEXPIRE', records, retention)
redis.call('HSET', order, 'ru', n)
if ARGV[5] == 'sent' then
  sent = sent + 1
  redis.call('HSET', order, 'rn', sent, 'rl', now, 'rk', ARGV[6])
  job_schedule(KEYS[8], job .. ':' .. n, now)
end

-- Stats: an automatic reminder that was sent or deliberately held out found an eligible order
-- (its first such reminder counts the order); agents' reminders count per agent.
local stats, kind = KEYS[15], ARGV[6]
if ARGV[5] == 'sent' then
  redis.call('HINCRBY', stats, 'sent:' .. kind .. ':' .. ARGV[7], 1)
  if ARGV[8] ~= '' then redis.call('HINCRBY', stats, 'agent:' .. ARGV[8], 1) end
else
  redis.call('HINCRBY', stats, 'skipped:' .. ARGV[10], 1)
end
local held_out = ARGV[5] ~= 'sent' and ARGV[10] == 'holdout'
if ARGV[8] == '' and (ARGV[5] == 'sent' or held_out) then
  redis.call('HINCRBY', stats, 'eligible:' .. kind, 1)
  if redis.call('HSETNX', order, 'el', 1) == 1 then redis.call('HINCRBY', stats, 'eligible_orders', 1) end
end
if held_out then
  redis.call('HINCRBY', stats, 'held_out:' .. kind, 1)
  redis.call('HSET', order, 'ho', 1)
end
redis.call('PEXPIRE', stats, ARGV[23])

local version = 0
if ARGV[13] ~= '' then
  -- The system remark: purple (5), never over a flag a person set.
  version = remark_note(order, KEYS[3], {KEYS[10], KEYS[11], KEYS[12], KEYS[13], KEYS[14]},
                        ARGV[17], 5, ARGV[13], tonumber(ARGV[16]), ARGV[20], ARGV[21], now,
                        tonumber(ARGV[14]), retention)
end

if queued then
  job_done(KEYS[6], KEYS[7], job)
  if ARGV[12] ~= '' then job_schedule(KEYS[5], job, ARGV[12]) end
end
if ARGV[18] ~= '' then redis.call('SET', KEYS[9], n, 'PX', ARGV[19]) end
redis.call('PEXPIRE', order, retention)
return {'ok', n, sent, version, redis.call('HMGET', records, n, 'a:' .. n)}
