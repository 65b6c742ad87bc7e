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
