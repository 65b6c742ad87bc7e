// A Redis reply, copied out of hiredis into an owned value.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

struct redisReply;

namespace orderwatch::redis {

struct Reply {
  enum class Type { kNil, kString, kStatus, kInteger, kArray, kError };

  Type type = Type::kNil;
  std::string str;  // kString, kStatus, kError
  int64_t integer = 0;
  std::vector<Reply> elements;

  bool is_nil() const { return type == Type::kNil; }

  static Reply From(const redisReply& r);
  // A reply as HGETALL gives it: field, value, field, value ... as strings.
  static Reply HashOf(const std::vector<std::pair<std::string, std::string>>& fields);
};

}  // namespace orderwatch::redis
