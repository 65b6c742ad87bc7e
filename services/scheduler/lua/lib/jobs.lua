-- Library (put in front of the scripts that finish or remove due-queue jobs, the scheduler's own
-- and the domain scripts that do it atomically with their state), so a job leaves a queue the
-- same way whoever removes it.
-- Removes a job wherever it is, due or in flight, with its attempts: O(log n). 1 if it was there.
local function job_cancel(due, in_flight, attempts, id)
  redis.call('HDEL', attempts, id)
  return math.min(redis.call('ZREM', due, id) + redis.call('ZREM', in_flight, id), 1)
end
-- Finishes a claimed job: out of flight, attempts forgotten. 1 if it was in flight.
local function job_done(in_flight, attempts, id)
  redis.call('HDEL', attempts, id)
  return redis.call('ZREM', in_flight, id)
end
