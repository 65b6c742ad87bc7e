-- Creates a follow-up, unless the idempotency key was used or the order has one of the kind open.
-- KEYS[1] the shop's follow-up base key (see lib/followups.lua).
-- ARGV[1] now (ms), ARGV[2] idempotency key ('' = none), ARGV[3] its time to live (ms),
-- ARGV[4] kind, ARGV[5] order ('' = none), ARGV[6] buyer, ARGV[7] note, ARGV[8] shift,
-- ARGV[9] reply deadline (ms, '' = none), ARGV[10] solve deadline (ms), ARGV[11] created by,
-- ARGV[12] cashback (fen, '' = none), ARGV[13] '1': the order's open one takes the new deadline
-- Returns {'ok', id}, {'replay', id} (the key made it) or {'open', id} (the order's open one).
local base, now, idem, ttl = KEYS[1], ARGV[1], ARGV[2], ARGV[3]
local kind, order = ARGV[4], ARGV[5]
if idem ~= '' then
  local first = redis.call('GET', base .. ':k:' .. idem)
  if first then return {'replay', first} end
end
if order ~= '' then
  local open = redis.call('HGET', base .. ':o:' .. order, kind)
  if open and ARGV[13] == '1' then
    -- A new promise moves the open follow-up (no reply deadline on these kinds).
    local rec = fu_record(base, open)
    local dl = ARGV[10]
    redis.call('HSET', rec, 'dl', dl, 'sdl', dl)
    redis.call('ZADD', base .. ':d', dl, open)
    redis.call('ZADD', base .. ':d:' .. kind, dl, open)
    redis.call('ZADD', base .. ':q:' .. (redis.call('HGET', rec, 'sh') or 'any'), 'XX', dl, open)
  end
  if open then
    if idem ~= '' then redis.call('SET', base .. ':k:' .. idem, open, 'PX', ttl) end
    return {'open', open}
  end
end
local id = 'F' .. redis.call('INCR', base .. ':n')
local shift, solve = ARGV[8], ARGV[10]
local dl = solve
if ARGV[9] ~= '' then dl = ARGV[9] end
local key = fu_record(base, id)
redis.call('HSET', key, 'k', kind, 'sh', shift, 'dl', dl, 'sdl', solve, 'ct', now, 'by', ARGV[11])
for field, i in pairs({o = 5, b = 6, t = 7, rdl = 9, cf = 12}) do
  if ARGV[i] ~= '' then redis.call('HSET', key, field, ARGV[i]) end
end
redis.call('ZADD', base .. ':q:' .. shift, dl, id)
redis.call('ZADD', base .. ':d', dl, id)
redis.call('ZADD', base .. ':d:' .. kind, dl, id)
if order ~= '' then redis.call('HSET', base .. ':o:' .. order, kind, id) end
if idem ~= '' then redis.call('SET', base .. ':k:' .. idem, id, 'PX', ttl) end
return {'ok', id}
