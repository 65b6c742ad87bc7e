-- Library for the follow-up scripts. A shop's follow-ups live under one base key B (declared as
-- KEYS[1]; every other key is named from it and shares its hash tag, the shop's):
--   B:n counter, B:u:<id> record, B:q:<shift> open unclaimed by deadline, B:c claimed by claim
--   expiry, B:d and B:d:<kind> open by deadline, B:o:<order> the order's open kinds -> id,
--   B:k:<key> idempotency.
-- Record fields: k kind, o order, b buyer, t note, sh shift, dl current deadline, rdl reply
-- deadline, sdl solve deadline, rp replied, ct created, by creator, a claimant, cu claim until,
-- nn notes, ln last note, out outcome, on outcome note, cby completed by, cat completed at,
-- late 1 when completed past the deadline, cf cashback (fen).
local function fu_record(base, id)
  return base .. ':u:' .. id
end

-- A claim that ran out: the follow-up goes back to its shift's queue.
local function fu_release(base, id)
  local key = fu_record(base, id)
  local r = redis.call('HMGET', key, 'sh', 'dl')
  redis.call('HDEL', key, 'a', 'cu')
  redis.call('ZREM', base .. ':c', id)
  if r[2] then redis.call('ZADD', base .. ':q:' .. (r[1] or 'any'), r[2], id) end
end

-- Releases claims that expired by `now`, at most 100 a call; returns how many.
local function fu_release_expired(base, now)
  local ids = redis.call('ZRANGEBYSCORE', base .. ':c', '-inf', now, 'LIMIT', 0, 100)
  for _, id in ipairs(ids) do fu_release(base, id) end
  return #ids
end
