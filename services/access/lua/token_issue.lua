-- Issues a token: the principal under the token's id, the store's version bumped, the audit log
-- told. The token itself never reaches Redis: only its SHA-256, inside the value.
-- KEYS[1] tokens (hash), KEYS[2] version (string), KEYS[3] log (stream)
-- ARGV[1] token id, ARGV[2] the encoded principal, ARGV[3] issuer "<shop>/<agent>", ARGV[4] now (ms)
-- Returns the new version; 0 when the id is taken (two tokens sharing 64 bits: issue another).
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
local version = redis.call('INCR', KEYS[2])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', 10000, '*', 'op', 'issue', 'id', ARGV[1],
           'by', ARGV[3], 'at', ARGV[4])
return version
