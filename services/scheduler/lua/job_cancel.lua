-- Removes a job wherever it is, due or in flight: O(log n).
-- KEYS[1] due, KEYS[2] in-flight, KEYS[3] attempts; ARGV[1] job id.
-- Returns 1 if the job was there.
return job_cancel(KEYS[1], KEYS[2], KEYS[3], ARGV[1])
