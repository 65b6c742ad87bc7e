-- One partition's figures for a queue: {due jobs, in-flight jobs, dead letters, earliest due
-- (ms, -1 when none)}. KEYS[1] due, KEYS[2] in-flight, KEYS[3] dead letters.
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {redis.call('ZCARD', KEYS[1]), redis.call('ZCARD', KEYS[2]), redis.call('HLEN', KEYS[3]),
        first[2] and tonumber(first[2]) or -1}
