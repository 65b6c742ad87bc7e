-- Queues a job, or moves it when queued already. KEYS[1] due-queue; ARGV[1] job id, ARGV[2] due
-- (ms). Returns 1 if the job is new to the queue.
return job_schedule(KEYS[1], ARGV[1], ARGV[2])
