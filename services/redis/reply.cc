#include "services/redis/reply.h"

#include <hiredis/hiredis.h>

#include "absl/strings/numbers.h"

namespace orderwatch::redis {

Reply Reply::HashOf(const std::vector<std::pair<std::string, std::string>>& fields) {
  Reply r;
  r.type = Type::kArray;
  for (const auto& [field, value] : fields) {
    for (const std::string* s : {&field, &value}) {
      Reply e;
      e.type = Type::kString;
      e.str = *s;
      r.elements.push_back(std::move(e));
    }
  }
  return r;
}

HashFields::HashFields(const Reply& hgetall) {
  for (size_t i = 0; i + 1 < hgetall.elements.size(); i += 2) {
    fields_[hgetall.elements[i].str] = hgetall.elements[i + 1].str;
  }
}

std::string HashFields::str(std::string_view field) const {
  auto it = fields_.find(field);
  return it == fields_.end() ? std::string() : it->second;
}

int64_t HashFields::num(std::string_view field) const {
  int64_t n = 0;
  auto it = fields_.find(field);
  if (it != fields_.end() && !absl::SimpleAtoi(it->second, &n)) n = 0;
  return n;
}

Reply Reply::From(const redisReply& r) {
  Reply out;
  switch (r.type) {
    case REDIS_REPLY_STRING:
      out.type = Type::kString;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = Type::kStatus;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = Type::kError;
      out.str.assign(r.str, r.len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = Type::kInteger;
      out.integer = r.integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = Type::kArray;
      out.elements.reserve(r.elements);
      for (size_t i = 0; i < r.elements; ++i) out.elements.push_back(From(*r.element[i]));
      break;
    default:
      out.type = Type::kNil;
  }
  return out;
}

}  // namespace orderwatch::redis
