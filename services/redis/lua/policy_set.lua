-- Replaces a shop's policy (reminders, shipments) with compare-and-set on its version.
-- KEYS[1] policy hash (v = version, p = protobuf bytes)
-- ARGV[1] expected version ('' = any), ARGV[2] the policy's bytes
-- Returns {'ok', new version} or {'aborted', current version}.
local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if ARGV[1] ~= '' and tonumber(ARGV[1]) ~= current then return {'aborted', current} end
redis.call('HSET', KEYS[1], 'v', current + 1, 'p', ARGV[2])
return {'ok', current + 1}
