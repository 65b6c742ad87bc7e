-- The token store as of one version: {version, {id1, encoded1, id2, encoded2, ...}}.
-- KEYS[1] tokens (hash), KEYS[2] version (string)
return {tonumber(redis.call('GET', KEYS[2]) or '0'), redis.call('HGETALL', KEYS[1])}
