-- Records a buyer's answer to one of the order's reminders and, with a promised payment time,
-- keeps the promise on the order and brings its reminder job forward to it (the worker then plans
-- the promised-time reminder like any other slot).
-- KEYS[1] order, KEYS[2] reminder records, KEYS[3] reminder due-queue, KEYS[4] its in-flight set,
-- KEYS[5] request key, KEYS[6] the follow-up due-queue
-- ARGV[1] reminder number (0 = the latest), ARGV[2] the answer (reason, note, promised, agent,
-- time joined by \31), ARGV[3] promised payment time (ms, '' = none), ARGV[4] job id
-- "<shop>:<order>", ARGV[5] retention (ms), ARGV[6] request id ('' = none), ARGV[7] request ttl,
-- ARGV[8] now (ms)
-- A promise also opens a promised-payment follow-up (its job is queued here, due now).
-- The answer to record n is field "a:<n>" of the records hash.
-- Returns {'ok', n, scheduled (ms) or -1}, {'replay', n}, {'unknown'} (no created event),
-- {'no_reminder', n}, {'settled', field} (a promise on a settled order) or {'after_close', ms}.
local order, records = KEYS[1], KEYS[2]
if ARGV[6] ~= '' then
  local first = redis.call('GET', KEYS[5])
  if first then return {'replay', tonumber(first)} end
end
order_unpack(order)
local st = redis.call('HMGET', order, 'ct', 'paid', 'cls', 'rfd', 'shp', 'ru', 'ac')
if not st[1] then return {'unknown'} end
local n = tonumber(ARGV[1])
if n == 0 then n = tonumber(st[6] or '0') end
if n == 0 or redis.call('HEXISTS', records, n) == 0 then return {'no_reminder', n} end

local promised, scheduled = ARGV[3], -1
if promised ~= '' then
  for i, field in ipairs({'paid', 'cls', 'rfd', 'shp'}) do
    if st[i + 1] then return {'settled', field} end
  end
  if st[7] and tonumber(st[7]) > 0 and tonumber(promised) >= tonumber(st[7]) then
    return {'after_close', tonumber(st[7])}
  end
  redis.call('HSET', order, 'pp', promised)
  job_schedule(KEYS[6], ARGV[4] .. ':pp', ARGV[8])
  local job = ARGV[4]
  if not redis.call('ZSCORE', KEYS[4], job) then
    local due = job_due(KEYS[3], job)
    if not due or tonumber(promised) < due then
      job_schedule(KEYS[3], job, promised)
      scheduled = tonumber(promised)
    end
  end
end
redis.call('HSET', records, 'a:' .. n, ARGV[2])
redis.call('PEXPIRE', records, ARGV[5])
if ARGV[6] ~= '' then redis.call('SET', KEYS[5], n, 'PX', ARGV[7]) end
return {'ok', n, scheduled}
