-- Counts one partition's live flag index entries for flags 1-5.
-- KEYS[1..5] flag index for flags 1-5, ARGV[1] oldest live score
local counts = {}
for i = 1, 5 do
  counts[i] = redis.call('ZCOUNT', KEYS[i], ARGV[1], '+inf')
end
return counts
