-- Library (put in front of the scripts that move an order between shipment stages: the sweep's
-- commit, and order events that take an order out of the sweep), so the shop's stage lists and
-- summary always agree with its orders' stages.
-- Moves the order from stage `from` to stage `to` (0 = none, 1 warning, 2 overdue, 3 escalated):
-- out of lists[from], into lists[to] scored by its deadline (ms); the summaries' n:<stage> and
-- c:<stage> (compensation, fen) follow, and reaching overdue counts the compensation as incurred.
-- `summaries` are the shop's summary in the partition and the partition's totals over all shops
-- (what the stage gauges read).
-- The order keeps its stage (ss), when it entered it (ssa), deadline (dl) and compensation (scf).
local function stage_move(order, order_id, lists, summaries, from, to, now, deadline, comp)
  local function add(field, by)
    for _, summary in ipairs(summaries) do redis.call('HINCRBY', summary, field, by) end
  end
  if from > 0 then
    local old = tonumber(redis.call('HGET', order, 'scf') or '0')
    redis.call('ZREM', lists[from], order_id)
    add('n:' .. from, -1)
    add('c:' .. from, -old)
  end
  if to == 0 then
    redis.call('HDEL', order, 'ss', 'ssa', 'scf')
    return
  end
  redis.call('ZADD', lists[to], deadline, order_id)
  add('n:' .. to, 1)
  add('c:' .. to, comp)
  if from < 2 and to >= 2 then
    add('incurred_n', 1)
    add('incurred_fen', comp)
  end
  redis.call('HSET', order, 'ss', to, 'ssa', now, 'dl', deadline, 'scf', comp)
end
