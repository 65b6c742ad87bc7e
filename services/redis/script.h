// A Lua script run by EVALSHA, with its SHA1 computed once at construction.
#pragma once

#include <string>
#include <string_view>

#include "absl/time/time.h"

namespace orderwatch::redis {

// Times and durations as scripts take them: decimal milliseconds (since the Unix epoch).
inline std::string MsArg(absl::Time t) { return std::to_string(absl::ToUnixMillis(t)); }
inline std::string MsArg(absl::Duration d) { return std::to_string(absl::ToInt64Milliseconds(d)); }

class Script {
 public:
  Script(std::string name, std::string_view body);

  const std::string& name() const { return name_; }
  const std::string& body() const { return body_; }
  const std::string& sha1() const { return sha1_; }

 private:
  std::string name_;
  std::string body_;
  std::string sha1_;  // lower-case hex, as Redis prints it
};

}  // namespace orderwatch::redis
