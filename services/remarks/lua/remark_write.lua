-- Sets, appends to or clears an order's remark atomically, with compare-and-set on its version,
-- a history entry, the shop's flag index (remark_change), and the first result kept for retries
-- of the request.
-- KEYS[1] order hash, KEYS[2] history list, KEYS[3] request key, KEYS[4..8] flag index for flags 1-5
-- ARGV[1] op (set|append|clear)   ARGV[2] expected version ('' = any)   ARGV[3] flag ('' = keep)
-- ARGV[4] text (set) or line (append)   ARGV[5] actor   ARGV[6] source   ARGV[7] now (ms)
-- ARGV[8] history cap   ARGV[9] retention (ms)   ARGV[10] request ttl (ms)   ARGV[11] max text bytes
-- ARGV[12] order id
-- Returns {'ok', flag, text, version, updated_ms, actor, source}, {'aborted', current version}
-- or {'too_long', bytes}.
local order, history, request = KEYS[1], KEYS[2], KEYS[3]
local op, expected, new_flag, arg_text = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local actor, source, now = ARGV[5], ARGV[6], ARGV[7]
local cap, retention, request_ttl, max_bytes = tonumber(ARGV[8]), ARGV[9], ARGV[10], tonumber(ARGV[11])
local order_id = ARGV[12]

local first = redis.call('HMGET', request, 'f', 't', 'v', 'ua', 'ub', 'us')
if first[3] then
  return {'ok', first[1], first[2], first[3], first[4], first[5], first[6]}
end

order_unpack(order)
local cur = redis.call('HMGET', order, 'f', 't', 'v')
local f0, t0, v0 = tonumber(cur[1] or '0'), cur[2] or '', tonumber(cur[3] or '0')
if expected ~= '' and tonumber(expected) ~= v0 then
  return {'aborted', v0}
end

local f1, t1 = f0, t0
if op == 'set' then
  f1, t1 = tonumber(new_flag), arg_text
elseif op == 'append' then
  if new_flag ~= '' then f1 = tonumber(new_flag) end
  if t0 == '' then t1 = arg_text else t1 = t0 .. '\n' .. arg_text end
  if #t1 > max_bytes then return {'too_long', #t1} end
else
  f1, t1 = 0, ''
end
local v1 = remark_change(order, history, {KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]}, order_id,
                         f0, t0, v0, f1, t1, actor, source, op, now, cap, retention)
redis.call('HSET', request, 'v', v1, 'f', f1, 't', t1, 'ua', now, 'ub', actor, 'us', source)
redis.call('PEXPIRE', request, request_ttl)
return {'ok', tostring(f1), t1, tostring(v1), now, actor, source}
