-- Moves an order's claimed reminder job to a later due time (its next reminder is not due yet,
-- or the sending window opens later), fenced by the lease, or drops it when no reminder is left;
-- a packed order then goes back to its own key (lib/order_place.lua), as it has no job left.
-- KEYS[1] lease, KEYS[2] due-queue, KEYS[3] in-flight, KEYS[4] attempts, KEYS[5] the order
-- ARGV[1] lease value, ARGV[2] job id, ARGV[3] due (ms, '' = no reminder left: drop the job)
-- Returns {'ok'}, {'fenced'} or {'gone'} (cancelled since it was claimed).
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {'fenced'} end
if job_done(KEYS[3], KEYS[4], ARGV[2]) == 0 then return {'gone'} end
if ARGV[3] ~= '' then
  job_schedule(KEYS[2], ARGV[2], ARGV[3])
else
  order_unpack(KEYS[5])
end
return {'ok'}
