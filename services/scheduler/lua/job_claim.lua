-- Claims the due jobs of one queue in one partition for the lease holder.
-- KEYS[1] lease, KEYS[2] due, KEYS[3] in-flight, KEYS[4] attempts, KEYS[5] dead letters
-- ARGV[1] lease value "<holder>|<token>", ARGV[2] now (ms), ARGV[3] most jobs to claim,
-- ARGV[4] in-flight time (ms), ARGV[5] most attempts
-- First, claimed jobs whose in-flight deadline passed (their worker died or stalled) come back,
-- due now, with one more attempt counted; at the most attempts they become dead letters (and
-- the order a dead job names, if packed, is unpacked: order_job_ended). Then up
-- to ARGV[3] due jobs move to in-flight with the deadline now + in-flight time.
-- Returns {'fenced'} when the caller no longer holds the lease, else
-- {'ok', next, reaped, dead, id1, due1, attempts1, id2, ...}: `next` is the earliest time (ms)
-- that anything left in this queue needs a worker (-1: nothing), attempts count earlier tries.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {'fenced'} end
local now, limit = tonumber(ARGV[2]), tonumber(ARGV[3])
local reaped, dead = 0, 0
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, limit)) do
  redis.call('ZREM', KEYS[3], id)
  local n = redis.call('HINCRBY', KEYS[4], id, 1)
  if n >= tonumber(ARGV[5]) then
    redis.call('HDEL', KEYS[4], id)
    redis.call('HSET', KEYS[5], id, now .. '|' .. n .. '|in-flight deadline passed')
    order_job_ended(KEYS[2], id)
    dead = dead + 1
  else
    job_schedule(KEYS[2], id, now)
    reaped = reaped + 1
  end
end

local out = {'ok', -1, reaped, dead}
local until_ms = now + tonumber(ARGV[4])
local due = job_take_due(KEYS[2], now, limit)
for i = 1, #due, 2 do
  local id = due[i]
  redis.call('ZADD', KEYS[3], until_ms, id)
  out[#out + 1] = id
  out[#out + 1] = tonumber(due[i + 1])
  out[#out + 1] = tonumber(redis.call('HGET', KEYS[4], id) or '0')
end

local _, next_ms = job_waiting(KEYS[2])
local first = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
if first[2] and (not next_ms or tonumber(first[2]) < next_ms) then next_ms = tonumber(first[2]) end
out[2] = next_ms or -1
return out
