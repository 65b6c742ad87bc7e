// A Redis reply, copied out of hiredis into an owned value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

struct redisReply;

namespace orderwatch::redis {

struct Reply {
  enum class Type { kNil, kString, kStatus, kInteger, kArray, kError };

  Type type = Type::kNil;
  std::string str;  // kString, kStatus, kError
  int64_t integer = 0;
  std::vector<Reply> elements;

  bool is_nil() const { return type == Type::kNil; }
  bool is_error() const { return type == Type::kError; }

  static Reply From(const redisReply& r);
};

// The reply as an integer (integer replies, or strings holding a decimal integer).
absl::StatusOr<int64_t> AsInteger(const Reply& reply);

}  // namespace orderwatch::redis
