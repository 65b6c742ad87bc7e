-- Reads a page of an order's remark history, newest first.
-- KEYS[1] order hash, KEYS[2] history list
-- ARGV[1] return changes older than this version ('' = from the newest), ARGV[2] page size
-- Every change adds one version and one entry, so the entry of version x sits at index (v - x),
-- where v is the current version; a page token is a version, stable while new changes arrive.
-- Returns {current version, entries...}.
local v = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
local start = 0
if ARGV[1] ~= '' then start = v - tonumber(ARGV[1]) + 1 end
if start < 0 then start = 0 end
local entries = redis.call('LRANGE', KEYS[2], start, start + tonumber(ARGV[2]) - 1)
table.insert(entries, 1, v)
return entries
