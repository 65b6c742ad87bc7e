-- Reads what a claimed delivery job needs, only while the job is still this worker's: the
-- partition lease unchanged and the job still in flight (not taken back by a reaping claim after
-- a stall, nor cancelled by the order's payment). Narrows a repeated delivery to a worker that
-- stalls between this read and its sink, and every repeat carries the same idempotency key.
-- KEYS[1] lease, KEYS[2] delivery in-flight set, KEYS[3] reminder records, KEYS[4] order hash
-- ARGV[1] lease value, ARGV[2] job id, ARGV[3] reminder number
-- Returns {'fenced'}, {'gone'}, or {'ok', record ('' if expired), settled (0/1), buyer, phone hash}.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {'fenced'} end
if not redis.call('ZSCORE', KEYS[2], ARGV[2]) then return {'gone'} end
local record = redis.call('HGET', KEYS[3], ARGV[3]) or ''
local st = redis.call('HMGET', KEYS[4], 'paid', 'cls', 'rfd', 'shp', 'buy', 'ph')
local settled = 0
if st[1] or st[2] or st[3] or st[4] then settled = 1 end
return {'ok', record, settled, st[5] or '', st[6] or ''}
