-- Works one open follow-up: a note, completion or reassignment. Only the agent holding a live
-- claim may, or anyone when it is unclaimed, or a supervisor (ARGV[5] = '1') always.
-- KEYS[1] the shop's follow-up base key (see lib/followups.lua).
-- ARGV[1] op, ARGV[2] id, ARGV[3] now (ms), ARGV[4] agent, ARGV[5] supervisor (1/0), then
--   note:     ARGV[6] text, ARGV[7] renewed claim until (ms)
--   complete: ARGV[6] outcome, ARGV[7] note, ARGV[8] retention of the record (ms)
--   reassign: ARGV[6] to agent ('' = to a shift), ARGV[7] claim until (ms), ARGV[8] to shift
-- Returns {'ok', id, late (complete: 1 when past the deadline), kind}, {'missing'}, {'done'} or
-- {'claimed', agent}.
local base, op, id, now, agent = KEYS[1], ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local key = fu_record(base, id)
local r = redis.call('HMGET', key, 'k', 'o', 'sh', 'dl', 'sdl', 'rp', 'a', 'cu', 'out')
if not r[1] then return {'missing'} end
if r[9] then return {'done'} end
local kind, order, shift, dl = r[1], r[2], r[3] or 'any', r[4]
local holder = r[7]
if holder and tonumber(r[8] or '0') <= now then
  fu_release(base, id)
  holder = nil
end
if holder and holder ~= agent and ARGV[5] ~= '1' then return {'claimed', holder} end

local function move_deadline(to)
  dl = to
  redis.call('HSET', key, 'dl', dl)
  redis.call('ZADD', base .. ':d', dl, id)
  redis.call('ZADD', base .. ':d:' .. kind, dl, id)
  if not holder then redis.call('ZADD', base .. ':q:' .. shift, dl, id) end
end

if op == 'note' then
  redis.call('HINCRBY', key, 'nn', 1)
  redis.call('HSET', key, 'ln', ARGV[6])
  if not r[6] then
    redis.call('HSET', key, 'rp', now)
    -- Replied: the solve deadline counts from now on.
    if r[5] and r[5] ~= dl then move_deadline(r[5]) end
  end
  if holder == agent then
    redis.call('HSET', key, 'cu', ARGV[7])
    redis.call('ZADD', base .. ':c', ARGV[7], id)
  end
  return {'ok', id, 0}
elseif op == 'complete' then
  local late = 0
  if now > tonumber(dl) then late = 1 end
  redis.call('HSET', key, 'out', ARGV[6], 'cby', agent, 'cat', now)
  if ARGV[7] ~= '' then redis.call('HSET', key, 'on', ARGV[7]) end
  if late == 1 then redis.call('HSET', key, 'late', 1) end
  redis.call('HDEL', key, 'a', 'cu')
  redis.call('ZREM', base .. ':q:' .. shift, id)
  redis.call('ZREM', base .. ':c', id)
  redis.call('ZREM', base .. ':d', id)
  redis.call('ZREM', base .. ':d:' .. kind, id)
  if order and redis.call('HGET', base .. ':o:' .. order, kind) == id then
    redis.call('HDEL', base .. ':o:' .. order, kind)
  end
  redis.call('PEXPIRE', key, ARGV[8])
  return {'ok', id, late, kind}
elseif op == 'reassign' then
  if ARGV[6] ~= '' then
    if not holder then redis.call('ZREM', base .. ':q:' .. shift, id) end
    redis.call('HSET', key, 'a', ARGV[6], 'cu', ARGV[7])
    redis.call('ZADD', base .. ':c', ARGV[7], id)
  else
    if holder then
      redis.call('HDEL', key, 'a', 'cu')
      redis.call('ZREM', base .. ':c', id)
    else
      redis.call('ZREM', base .. ':q:' .. shift, id)
    end
    redis.call('HSET', key, 'sh', ARGV[8])
    redis.call('ZADD', base .. ':q:' .. ARGV[8], dl, id)
  end
  return {'ok', id, 0}
end
return redis.error_reply('unknown op ' .. op)
