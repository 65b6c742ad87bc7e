-- Library (put in front of every script that reads or writes an order hash that may be unpaid):
-- where an order is kept.
--
-- Unpaid orders waiting for their reminders are most of a shop's orders at a peak, and a key of
-- their own costs about 110 B beyond their fields (the key's name, its object, its entries in the
-- key and expiry tables). So the event that creates an order and schedules its first reminder
-- packs it instead (MessagePack of its HGETALL) into field "<shop>:<order>" of one of its
-- partition's ORDER_BUCKETS order buckets, "ow:{p7}:ob:<b>" beside "ow:{p7}:o:<shop>:<order>".
-- Redis keeps a bucket compact (a listpack) while it holds at most hash-max-listpack-entries
-- orders of at most hash-max-listpack-value bytes each (deploy/ sets 512 and 256).
-- Any other write unpacks the order to its own key first, with the bucket's time to live, and it
-- stays there. A packed order always has its reminder job waiting, and every way that job ends
-- writes or unpacks the order (reminder_commit, reminder_reschedule, a settling event, and the
-- scheduler's dead letters: order_job_ended), so no packed order outlives its job; a bucket
-- expires a retention after the last order packed in it.
local ORDER_BUCKETS = 128
local ORDER_PACKED_MAX = 240

local order_places = {}
local function order_place(order)
  local place = order_places[order]
  if not place then
    local prefix, field = string.match(order, '^(.-}:)o:(.*)$')
    local b = tonumber(string.sub(redis.sha1hex(field), 1, 6), 16) % ORDER_BUCKETS
    place = {prefix .. 'ob:' .. b, field}
    order_places[order] = place
  end
  return place[1], place[2]
end

-- The packed order's fields and values (as HGETALL lists them), or {} when it is not packed.
local function order_packed(order)
  local bucket, field = order_place(order)
  local packed = redis.call('HGET', bucket, field)
  if not packed then return {} end
  return cmsgpack.unpack(packed)
end

-- The order's HGETALL, from its own key or its bucket.
local function order_get(order)
  local all = redis.call('HGETALL', order)
  if #all > 0 then return all end
  return order_packed(order)
end

-- Moves a packed order back to its own key. Returns whether it was packed. `all`, when given, is
-- what order_packed just returned for it.
local function order_unpack(order, all)
  local bucket, field = order_place(order)
  all = all or order_packed(order)
  if #all == 0 then return false end
  local ttl = redis.call('PTTL', bucket)  -- before HDEL: the last order out deletes the bucket
  if redis.call('HDEL', bucket, field) == 0 then return false end
  redis.call('HSET', order, unpack(all))
  if ttl > 0 then redis.call('PEXPIRE', order, ttl) end
  return true
end

-- Packs an order that has no key of its own, given its fields and values (as HGETALL lists them),
-- unless it is too big to keep the bucket compact. Returns whether it was packed.
local function order_pack(order, all, ttl)
  local packed = cmsgpack.pack(all)
  if #packed > ORDER_PACKED_MAX then return false end
  local bucket, field = order_place(order)
  redis.call('HSET', bucket, field, packed)
  if redis.call('PTTL', bucket) < tonumber(ttl) then redis.call('PEXPIRE', bucket, ttl) end
  return true
end

-- For the scheduler's scripts: a job that leaves its queue for good (a dead letter) unpacks the
-- order it names, if its id is an order's "<shop>:<order>" (reminder jobs are), so the order
-- expires like any other. Any other id names no packed order, and nothing happens.
local function order_job_ended(queue, id)
  local prefix = string.match(queue, '^(.-}:)')
  if prefix then order_unpack(prefix .. 'o:' .. id) end
end
