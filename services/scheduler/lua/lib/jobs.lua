-- Library (put in front of every script that queues, finishes or removes due-queue jobs, the
-- scheduler's own and the domain scripts that do it atomically with their state), so a job enters
-- and leaves a queue the same way whoever moves it.
--
-- A queue's waiting jobs live in buckets: small sorted sets (job id scored by due time, ms) that
-- Redis keeps in its compact listpack encoding, about 30 B a job where one big sorted set costs
-- about 120. A job's bucket comes from a hash of its id by linear hashing: as the queue grows or
-- shrinks, one bucket at a time splits or merges, so buckets hold about JOB_FILL / 4 to 2 *
-- JOB_FILL jobs whatever the queue's size. The queue's key is the index of its buckets, each
-- scored by its earliest due time, so a claim reads due buckets only and every bucket it reads
-- holds due work. "<queue>:n" holds the hashing state: level L, split point p, jobs n.
-- Bucket b is "<queue>:<b>"; all share the queue's hash tag.
local JOB_FILL = 40

-- A script often finds one id on several queues (an order's reminder, delivery and sweep jobs
-- share it): each id is hashed once per script.
local job_hashes = {}
local function job_hash(id)
  local h = job_hashes[id]
  if not h then
    h = tonumber(string.sub(redis.sha1hex(id), 1, 7), 16)
    job_hashes[id] = h
  end
  return h
end

local function job_state(queue)
  local s = redis.call('HMGET', queue .. ':n', 'L', 'p', 'n')
  return tonumber(s[1] or '0'), tonumber(s[2] or '0'), tonumber(s[3] or '0')
end

local function job_bucket(h, level, split)
  local b = h % 2 ^ level
  if b < split then b = h % 2 ^ (level + 1) end
  return b
end

-- Scores bucket b in the index by its earliest job, or drops it when empty.
local function job_reindex(queue, b)
  local first = redis.call('ZRANGE', queue .. ':' .. b, 0, 0, 'WITHSCORES')
  if first[2] then
    redis.call('ZADD', queue, first[2], b)
  else
    redis.call('ZREM', queue, b)
  end
end

-- Moves the jobs of bucket `from` that hash elsewhere at `level` + 1 to bucket `to` (all of them
-- when level is nil).
local function job_move(queue, from, to, level)
  local src, ids, pairs_ = queue .. ':' .. from, {}, {}
  local all = redis.call('ZRANGE', src, 0, -1, 'WITHSCORES')
  for i = 1, #all, 2 do
    if not level or job_hash(all[i]) % 2 ^ (level + 1) ~= from then
      ids[#ids + 1] = all[i]
      pairs_[#pairs_ + 1] = all[i + 1]
      pairs_[#pairs_ + 1] = all[i]
    end
  end
  if #ids > 0 then
    redis.call('ZREM', src, unpack(ids))
    redis.call('ZADD', queue .. ':' .. to, unpack(pairs_))
  end
  job_reindex(queue, from)
  job_reindex(queue, to)
end

-- Counts `delta` jobs in or out of a queue in state (level, split, n), then splits or merges
-- one bucket if the fill calls for it.
local function job_count(queue, level, split, n, delta)
  n = math.max(n + delta, 0)
  local buckets = 2 ^ level + split
  if n > JOB_FILL * buckets then
    job_move(queue, split, split + 2 ^ level, level)
    split = split + 1
    if split == 2 ^ level then level, split = level + 1, 0 end
  elseif buckets > 1 and n * 4 < JOB_FILL * buckets then
    if split == 0 then level, split = level - 1, 2 ^ (level - 1) end
    split = split - 1
    job_move(queue, split + 2 ^ level, split, nil)
  end
  redis.call('HSET', queue .. ':n', 'L', level, 'p', split, 'n', n)
end

-- Queues a job due at `due` (ms), moving it if it is queued already; with `only_new`, a queued
-- job stays as it is. 1 if the job is new to the queue.
local function job_schedule(queue, id, due, only_new)
  local level, split, n = job_state(queue)
  local b = job_bucket(job_hash(id), level, split)
  local added = redis.call('ZADD', queue .. ':' .. b, 'NX', due, id)
  if added == 0 then
    if only_new then return 0 end
    redis.call('ZADD', queue .. ':' .. b, due, id)
    job_reindex(queue, b)
    return 0
  end
  redis.call('ZADD', queue, 'LT', due, b)
  job_count(queue, level, split, n, 1)
  return 1
end

-- When a queued job is due (ms), or nil when it is not queued.
local function job_due(queue, id)
  local level, split = job_state(queue)
  local due = redis.call('ZSCORE', queue .. ':' .. job_bucket(job_hash(id), level, split), id)
  return due and tonumber(due)
end

-- Takes a job off the queue (not off in-flight). 1 if it was queued.
local function job_unqueue(queue, id)
  local level, split, n = job_state(queue)
  local b = job_bucket(job_hash(id), level, split)
  if redis.call('ZREM', queue .. ':' .. b, id) == 0 then return 0 end
  job_reindex(queue, b)
  job_count(queue, level, split, n, -1)
  return 1
end

-- Takes up to `limit` jobs due by `now` off the queue, earliest bucket first:
-- {id1, due1, id2, due2, ...}.
local function job_take_due(queue, now, limit)
  local out = {}
  while #out < 2 * limit do
    local b = redis.call('ZRANGEBYSCORE', queue, '-inf', now, 'LIMIT', 0, 1)[1]
    if not b then break end
    local key = queue .. ':' .. b
    local due = redis.call('ZRANGEBYSCORE', key, '-inf', now, 'WITHSCORES', 'LIMIT', 0,
                           limit - #out / 2)
    if #due > 0 then redis.call('ZREMRANGEBYRANK', key, 0, #due / 2 - 1) end
    for i = 1, #due do out[#out + 1] = due[i] end
    job_reindex(queue, b)
  end
  if #out > 0 then
    local level, split, n = job_state(queue)
    job_count(queue, level, split, n, -#out / 2)
  end
  return out
end

-- How many jobs wait, and the earliest due time (ms, nil when none).
local function job_waiting(queue)
  local _, _, n = job_state(queue)
  local first = redis.call('ZRANGE', queue, 0, 0, 'WITHSCORES')
  return n, first[2] and tonumber(first[2])
end

-- Removes a job wherever it is, due or in flight, with its attempts. 1 if it was there.
local function job_cancel(queue, in_flight, attempts, id)
  redis.call('HDEL', attempts, id)
  return math.min(job_unqueue(queue, id) + redis.call('ZREM', in_flight, id), 1)
end

-- Finishes a claimed job: out of flight, attempts forgotten. 1 if it was in flight.
local function job_done(in_flight, attempts, id)
  redis.call('HDEL', attempts, id)
  return redis.call('ZREM', in_flight, id)
end
