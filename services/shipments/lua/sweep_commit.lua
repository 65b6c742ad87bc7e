-- Commits one look of the sweep at a watched order, fenced by the lease: the stage it enters (with
-- its system remark, the shop's stage lists and summary) and when to look again.
-- KEYS[1] lease, KEYS[2] order, KEYS[3] remark history, KEYS[4..8] flag indexes for flags 1-5,
-- KEYS[9] sweep due-queue, KEYS[10] its in-flight set, KEYS[11] its attempts,
-- KEYS[12..14] the shop's stage lists (warning, overdue, escalated), KEYS[15] its stage summary,
-- KEYS[16] the notice due-queue, KEYS[17] the partition's stage totals over all shops
-- ARGV[1] lease value, ARGV[2] job id, ARGV[3] order id, ARGV[4] now (ms), ARGV[5] the stage the
-- worker read (compare-and-set), ARGV[6] stage to enter (0 = none), ARGV[7] deadline (ms),
-- ARGV[8] next look (ms, '' = none), ARGV[9] compensation (fen), ARGV[10] remark flag,
-- ARGV[11] remark line, ARGV[12] most remark bytes, ARGV[13] history cap, ARGV[14] retention
-- (ms), ARGV[15] remark actor, ARGV[16] remark source
-- Entering a stage queues its notices, due now: the warehouse's ("<job>:w<stage>") and, at
-- warning and overdue, the buyer's ("<job>:b<stage>").
-- Returns {'ok', remark version (0 = none)}, {'fenced'}, {'gone'} (the order shipped, closed or
-- was refunded since the job was claimed) or {'stale', stage} (its stage moved meanwhile).
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {'fenced'} end
local order, job, order_id, now = KEYS[2], ARGV[2], ARGV[3], ARGV[4]
if not redis.call('ZSCORE', KEYS[10], job) then return {'gone'} end
local st = redis.call('HMGET', order, 'ss', 'paid', 'shp', 'cls', 'rfd')
if not st[2] or st[3] or st[4] or st[5] then
  job_done(KEYS[10], KEYS[11], job)
  return {'gone'}
end
local stage = tonumber(st[1] or '0')
if stage ~= tonumber(ARGV[5]) then return {'stale', stage} end

local version, enter = 0, tonumber(ARGV[6])
if enter > stage then
  stage_move(order, order_id, {KEYS[12], KEYS[13], KEYS[14]}, {KEYS[15], KEYS[17]}, stage, enter, now,
             ARGV[7], tonumber(ARGV[9]))
  version = remark_note(order, KEYS[3], {KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]}, order_id,
                        tonumber(ARGV[10]), ARGV[11], tonumber(ARGV[12]), ARGV[15], ARGV[16], now,
                        tonumber(ARGV[13]), ARGV[14])
  job_schedule(KEYS[16], job .. ':w' .. enter, now)
  if enter <= 2 then job_schedule(KEYS[16], job .. ':b' .. enter, now) end
end
job_done(KEYS[10], KEYS[11], job)
if ARGV[8] ~= '' then job_schedule(KEYS[9], job, ARGV[8]) end
return {'ok', version}
