-- Reads up to ARGV[3] entries of one partition's flag index after a cursor, in the order
-- (score desc, member desc): newest change first, ties by order id.
-- KEYS[1] flag index
-- ARGV[1] cursor score ('' = from the newest)   ARGV[2] cursor member   ARGV[3] limit
-- ARGV[4] oldest live score (older entries belong to expired orders)
-- Returns {member, score, member, score ...}.
-- Lua compares strings by the server's collation; the index orders ties bytewise, so must we.
local function bytes_before(a, b)
  for i = 1, math.min(#a, #b) do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end

local limit = tonumber(ARGV[3])
local max = '+inf'
if ARGV[1] ~= '' then max = ARGV[1] end
local cursor = tonumber(ARGV[1])
local out = {}
local offset = 0
local chunk = limit + 16
while #out < 2 * limit do
  local batch = redis.call('ZREVRANGEBYSCORE', KEYS[1], max, ARGV[4], 'WITHSCORES', 'LIMIT', offset, chunk)
  for i = 1, #batch, 2 do
    local member, score = batch[i], batch[i + 1]
    if cursor == nil or tonumber(score) < cursor or bytes_before(member, ARGV[2]) then
      out[#out + 1] = member
      out[#out + 1] = score
      if #out >= 2 * limit then break end
    end
  end
  if #batch < 2 * chunk then break end
  offset = offset + chunk
end
return out
