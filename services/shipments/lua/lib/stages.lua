-- Library (put in front of the scripts that move an order between shipment stages: the sweep's
-- commit, and order events that take an order out of the sweep), so the shop's stage lists and
-- summary always agree with its orders' stages.
-- Moves the order from stage `from` to stage `to` (0 = none, 1 warning, 2 overdue, 3 escalated):
-- out of lists[from], into lists[to] scored by its deadline (ms); the summary's n:<stage> and
-- c:<stage> (compensation, fen) follow, and reaching overdue counts the compensation as incurred.
-- The order keeps its stage (ss), when it entered it (ssa), deadline (dl) and compensation (scf).
local function stage_move(order, order_id, lists, summary, from, to, now, deadline, comp)
  if from > 0 then
    local old = tonumber(redis.call('HGET', order, 'scf') or '0')
    redis.call('ZREM', lists[from], order_id)
    redis.call('HINCRBY', summary, 'n:' .. from, -1)
    redis.call('HINCRBY', summary, 'c:' .. from, -old)
  end
  if to == 0 then
    redis.call('HDEL', order, 'ss', 'ssa', 'scf')
    return
  end
  redis.call('ZADD', lists[to], deadline, order_id)
  redis.call('HINCRBY', summary, 'n:' .. to, 1)
  redis.call('HINCRBY', summary, 'c:' .. to, comp)
  if from < 2 and to >= 2 then
    redis.call('HINCRBY', summary, 'incurred_n', 1)
    redis.call('HINCRBY', summary, 'incurred_fen', comp)
  end
  redis.call('HSET', order, 'ss', to, 'ssa', now, 'dl', deadline, 'scf', comp)
end
