-- Registers an order's cashback, once: on a paid order that is neither refunded nor has a refund
-- requested, and queues the job that opens its follow-up (atomically, so no registration is
-- left without one).
-- KEYS[1] order hash, KEYS[2] the follow-up due-queue
-- ARGV[1] the registration (see order_followups.h), ARGV[2] job id
-- "<shop>:<order>:cb", ARGV[3] now (ms)
-- Returns {'ok'}, {'unknown'} (no such order), {'registered', registration}, {'refunded'},
-- {'refund_requested'} or {'unpaid'}.
local order = KEYS[1]
order_unpack(order)
local st = redis.call('HMGET', order, 'n', 'cb', 'rfd', 'rrq', 'paid')
if not st[1] then return {'unknown'} end
if st[2] then return {'registered', st[2]} end
if st[3] then return {'refunded'} end
if st[4] then return {'refund_requested'} end
if not st[5] then return {'unpaid'} end
redis.call('HSET', order, 'cb', ARGV[1])
job_schedule(KEYS[2], ARGV[2], ARGV[3])
return {'ok'}
