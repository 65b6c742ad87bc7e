-- Gives a partition's lease up, if the caller still holds it (so another instance takes the
-- partition over at once instead of after the lease's time to live).
-- KEYS[1] lease; ARGV[1] the lease value "<holder>|<token>". Returns 1 if released.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
