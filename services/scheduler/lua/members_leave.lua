-- An instance stops: the others share its partitions out at their next renewal instead of after
-- its liveness runs out. KEYS[1] the set of instance ids; ARGV[1] the leaving id.
redis.call('SREM', KEYS[1], ARGV[1])
return redis.call('DEL', KEYS[1] .. ':' .. ARGV[1])
