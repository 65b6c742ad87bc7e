-- Marks a claimed job done.
-- KEYS[1] lease, KEYS[2] in-flight, KEYS[3] attempts; ARGV[1] lease value, ARGV[2] job id.
-- Returns {'fenced'} when the caller no longer holds the lease (the job is left to the new
-- holder), else {'ok', 1} or {'ok', 0} when the job was no longer in flight (cancelled).
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {'fenced'} end
return {'ok', job_done(KEYS[2], KEYS[3], ARGV[2])}
