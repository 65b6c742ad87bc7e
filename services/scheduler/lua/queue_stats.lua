-- One partition's figures for a queue: {due jobs, in-flight jobs, dead letters, earliest due
-- (ms, -1 when none)}. KEYS[1] due-queue, KEYS[2] in-flight, KEYS[3] dead letters.
local waiting, earliest = job_waiting(KEYS[1])
return {waiting, redis.call('ZCARD', KEYS[2]), redis.call('HLEN', KEYS[3]), earliest or -1}
