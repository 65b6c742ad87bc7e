// A Redis reply, copied out of hiredis into an owned value.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
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

// A hash as HGETALL gives it, read by field: absent fields read as "" and 0.
class HashFields {
 public:
  explicit HashFields(const Reply& hgetall);

  bool has(std::string_view field) const { return fields_.find(field) != fields_.end(); }
  std::string str(std::string_view field) const;
  // 0 when absent or not a whole number.
  int64_t num(std::string_view field) const;

 private:
  std::map<std::string, std::string, std::less<>> fields_;
};

}  // namespace orderwatch::redis
