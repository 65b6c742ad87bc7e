-- Library (put in front of every script that changes an order's remark: agents' writes,
-- reminders, sweeps), so that a remark changes the same way whoever changes it.
-- Writes flag f1 and text t1 as the order's remark: a new version, a history entry (capped at
-- `cap`, newest first) and the order moved between the shop's flag indexes (flag_keys[1..5],
-- scored by the time of the change; entries older than the retention belong to expired orders
-- and are dropped as they are met). Returns the new version.
local function remark_change(order, history, flag_keys, order_id, f0, t0, v0, f1, t1, actor,
                             source, op, now, cap, retention)
  local v1 = v0 + 1
  redis.call('HSET', order, 'f', f1, 't', t1, 'v', v1, 'ua', now, 'ub', actor, 'us', source)
  redis.call('LPUSH', history, table.concat({v1, now, actor, source, op, f0, f1, t0, t1}, '\31'))
  redis.call('LTRIM', history, 0, cap - 1)
  if f0 ~= 0 then
    redis.call('ZREM', flag_keys[f0], order_id)
  end
  if f1 ~= 0 then
    local index = flag_keys[f1]
    redis.call('ZADD', index, now, order_id)
    redis.call('ZREMRANGEBYSCORE', index, '-inf', '(' .. (tonumber(now) - tonumber(retention)))
    redis.call('PEXPIRE', index, retention)
  end
  redis.call('PEXPIRE', order, retention)
  redis.call('PEXPIRE', history, retention)
  return v1
end

-- Appends a system line to the order's remark (reminders, sweeps): flag `flag` only over no flag
-- or the same flag, so a flag a person set is never overwritten; the oldest lines are dropped if
-- the memo would pass `most` bytes. Reads the order's f, t, v itself. Returns the new version.
local function remark_note(order, history, flag_keys, order_id, flag, line, most, actor, source,
                           now, cap, retention)
  local st = redis.call('HMGET', order, 'f', 't', 'v')
  local f0, t0, v0 = tonumber(st[1] or '0'), st[2] or '', tonumber(st[3] or '0')
  local f1 = f0
  if f0 == 0 or f0 == flag then f1 = flag end
  local t1 = line
  if t0 ~= '' then t1 = t0 .. '\n' .. line end
  while #t1 > most do
    local cut = string.find(t1, '\n', 1, true)
    if not cut then
      t1 = line
      break
    end
    t1 = string.sub(t1, cut + 1)
  end
  return remark_change(order, history, flag_keys, order_id, f0, t0, v0, f1, t1, actor, source,
                       'append', now, cap, retention)
end
