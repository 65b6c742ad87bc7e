-- Revokes a token by id, if the revoker may: of shop ARGV[2] only (unless ''), and of the agent
-- and storefront roles only when ARGV[3] is '1' (supervisors).
-- KEYS[1] tokens (hash), KEYS[2] version (string), KEYS[3] log (stream)
-- ARGV[1] token id, ARGV[2] shop or '', ARGV[3] '1' or '0', ARGV[4] revoker, ARGV[5] now (ms)
-- Returns {version, encoded principal} when revoked; {0} when there is no such token (or it is
-- another shop's: the same answer, so ids of other shops cannot be probed); {-1, encoded} when
-- the role may not be revoked by this revoker.
local value = redis.call('HGET', KEYS[1], ARGV[1])
if not value then return {0} end
-- The encoding (token_store.cc): hash, shop, agent, role, issued ms, issuer, note, by \31.
local f = {}
for part in string.gmatch(value .. '\31', '([^\31]*)\31') do f[#f + 1] = part end
if ARGV[2] ~= '' and f[2] ~= ARGV[2] then return {0} end
if ARGV[3] == '1' and f[4] ~= 'agent' and f[4] ~= 'storefront' then return {-1, value} end
redis.call('HDEL', KEYS[1], ARGV[1])
local version = redis.call('INCR', KEYS[2])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', 10000, '*', 'op', 'revoke', 'id', ARGV[1],
           'by', ARGV[4], 'at', ARGV[5])
return {version, value}
